using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using KubeCache.Background;
using KubeCache.Hosting.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.Hosting.Limits;

/// <summary>
/// A server process's connection limits at work: Kestrel's HTTP limits, the connection gate in
/// front of every listener, and the deadlines of RESP connections, all counted in
/// <see cref="Metrics"/>. A node and a router each register one with <see cref="AddTo"/> and put
/// <see cref="Admit"/> first on each listener and <see cref="ServeRespAsync"/> around their RESP handler.
/// </summary>
public sealed class ServerLimits : IDisposable
{
    private readonly ConnectionAdmission _admission;
    private readonly KestrelLimitEvents _kestrel;

    public ServerLimits(ConnectionLimits limits, IMeterFactory meters, string meterName, BackgroundErrors errors)
    {
        limits.Validate();
        Limits = limits;
        Meter meter = meters.Create(meterName);
        Metrics = new LimitMetrics(meter);
        Inline = new InlineServingMetrics(meter);
        Gate = new ConnectionGate(limits.MaxConnections, limits.MaxConnectionsPerIp);
        Deadlines = new ConnectionDeadlines(limits, Metrics, errors);
        _admission = new ConnectionAdmission(Gate, limits, Metrics);
        _kestrel = new KestrelLimitEvents(meters, Metrics);
    }

    public ConnectionLimits Limits { get; }

    public LimitMetrics Metrics { get; }

    /// <summary>How many connections are served on the event loop's thread now.</summary>
    public InlineServingMetrics Inline { get; }

    /// <summary>Open connections, both listeners and both protocols.</summary>
    public ConnectionGate Gate { get; }

    public ConnectionDeadlines Deadlines { get; }

    /// <summary>
    /// Registers the limits as a singleton and applies the HTTP ones to Kestrel.
    /// <paramref name="maxBodyBytes"/> is the process's --max-body-bytes; <paramref name="meterName"/> its meter.
    /// </summary>
    public static void AddTo(WebApplicationBuilder builder, ConnectionLimits limits, long maxBodyBytes, string meterName)
    {
        builder.Services.AddBackgroundErrors(meterName);
        builder.Services.AddSingleton(s => new ServerLimits(limits, s.GetRequiredService<IMeterFactory>(), meterName, s.GetRequiredService<BackgroundErrors>()));
        builder.WebHost.ConfigureKestrel(kestrel => limits.ApplyTo(kestrel.Limits, maxBodyBytes));
    }

    /// <summary>
    /// Connection middleware that admits connections up to --max-connections in total and
    /// --max-connections-per-ip per address. <paramref name="respOnly"/> tells whether the listener
    /// speaks only RESP (so a refusal is <c>-ERR …</c> at once) or also HTTP.
    /// </summary>
    public ConnectionDelegate Admit(ConnectionDelegate next, bool respOnly) => _admission.Admit(next, respOnly);

    /// <summary>Runs <paramref name="handler"/> on <paramref name="connection"/> with RESP's idle, request and output deadlines.</summary>
    public Task ServeRespAsync(ConnectionContext connection, Func<ConnectionContext, Task> handler) => ServeTimedAsync(connection, handler, resp: true);

    /// <summary>
    /// Runs <paramref name="handler"/> with the connection's transport guarded by the idle, request
    /// and output deadlines, and gives the connection its own transport back when it returns;
    /// <paramref name="resp"/> tells which protocol a closed connection is counted under. A
    /// handler that serves the connection on its loop, without the guarded pipes, does so through
    /// <see cref="ServeInlineAsync"/>, and its protocol arms the read deadlines through the guarded
    /// input (<see cref="GuardedInput.ServedInline"/>).
    /// </summary>
    internal async Task ServeTimedAsync(ConnectionContext connection, Func<ConnectionContext, Task> handler, bool resp)
    {
        TimedConnection timed = Deadlines.Add(connection, resp);
        IDuplexPipe transport = connection.Transport;
        connection.Transport = new GuardedTransport(
            new GuardedInput(transport.Input, timed, Limits), new GuardedOutput(transport.Output, timed, Limits, Metrics));
        try
        {
            await handler(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = transport;
            Deadlines.Remove(timed);
        }
    }

    /// <summary>
    /// Serves the connection on its transport's loop with <paramref name="protocol"/> until it
    /// leaves, or <paramref name="leaveWhen"/> fires (a server asking its connections to close): the
    /// idle deadline armed through <paramref name="deadline"/> first (the protocol arms the rest as
    /// it reads), and the connection counted in <see cref="Inline"/> meanwhile.
    /// </summary>
    internal async Task ServeInlineAsync(IInlineServingFeature inline, IInlineProtocol protocol, GuardedInput? deadline, CancellationToken leaveWhen, bool resp)
    {
        deadline?.ArmIdle();
        Task leaving = inline.ServeInlineAsync(protocol);

        // Registered after the start, so the loop sees the two in this order.
        using (leaveWhen.UnsafeRegister(static f => ((IInlineServingFeature)f!).LeaveInline(), inline))
        using (Inline.Serving(resp))
        {
            await leaving.ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _kestrel.Dispose();
        Deadlines.Dispose();
    }

    private sealed class GuardedTransport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
