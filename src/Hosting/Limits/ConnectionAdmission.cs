using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Hosting.Limits;

/// <summary>
/// The first connection middleware on every listener: admits a connection through the
/// <see cref="ConnectionGate"/> or refuses it at once with a reply its protocol understands and
/// closes it. On the RESP port that is Redis's <c>-ERR max number of clients reached</c> before
/// the client says anything. On the HTTP port, which also takes RESP, the protocol is known only
/// from the first byte, so a refused connection gets up to <see cref="FirstByteGrace"/> to send it
/// (then <c>-ERR …</c> or an HTTP 503); at most <see cref="MaxWaiting"/> refused connections wait
/// at once and the rest are closed without a word, so a flood of refused connections stays cheap.
/// </summary>
internal sealed class ConnectionAdmission(ConnectionGate gate, ConnectionLimits limits, LimitMetrics metrics)
{
    /// <summary>How long a refused connection on the HTTP port may take to send its first byte.</summary>
    internal static readonly TimeSpan FirstByteGrace = TimeSpan.FromSeconds(1);

    /// <summary>Refused connections on the HTTP port waiting for their first byte at once.</summary>
    internal const int MaxWaiting = 64;

    private int _waiting;

    public ConnectionDelegate Admit(ConnectionDelegate next, bool respOnly) => async connection =>
    {
        IPAddress? address = ConnectionGate.AddressOf(connection.RemoteEndPoint);
        if (gate.TryEnter(address) is { } refused)
        {
            metrics.Rejected(refused);
            await RefuseAsync(connection, refused, address, respOnly).ConfigureAwait(false);
            return;
        }

        try
        {
            if (respOnly || await FirstBytesArriveAsync(connection).ConfigureAwait(false))
            {
                await next(connection).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release(address);
        }
    };

    /// <summary>
    /// Waits up to --idle-timeout for a connection on the HTTP port to send something. Until then
    /// neither Kestrel's keep-alive timeout nor the RESP deadlines watch it (the protocol sniffer is
    /// still waiting for the first byte), so a silent connection would otherwise hold its slot forever.
    /// The bytes stay unconsumed for the sniffer.
    /// </summary>
    private async Task<bool> FirstBytesArriveAsync(ConnectionContext connection)
    {
        PipeReader input = connection.Transport.Input;
        using var idle = new CancellationTokenSource(limits.IdleTimeout);
        try
        {
            ReadResult first = await input.ReadAsync(idle.Token).ConfigureAwait(false);
            input.AdvanceTo(first.Buffer.Start);
            return true;
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            metrics.Closed(resp: false, CloseReason.Idle);
            return false;
        }
    }

    private async Task RefuseAsync(ConnectionContext connection, RejectReason reason, IPAddress? address, bool respOnly)
    {
        try
        {
            bool? resp = respOnly ? true : await FirstByteIsRespAsync(connection.Transport.Input).ConfigureAwait(false);
            if (resp is null)
            {
                return;
            }

            string message = Message(reason, address);
            PipeWriter output = connection.Transport.Output;
            output.Write(resp.Value ? Encoding.UTF8.GetBytes($"-ERR {message}\r\n") : HttpRefusal(message));
            await output.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ConnectionResetException or ConnectionAbortedException or IOException)
        {
            // The client went away first: it is refused either way.
        }
    }

    /// <returns>Whether the first byte starts a RESP command, or null to close without a reply.</returns>
    private async Task<bool?> FirstByteIsRespAsync(PipeReader input)
    {
        try
        {
            if (Interlocked.Increment(ref _waiting) > MaxWaiting)
            {
                return null;
            }

            using var grace = new CancellationTokenSource(FirstByteGrace);
            ReadResult first = await input.ReadAsync(grace.Token).ConfigureAwait(false);
            bool? resp = first.Buffer.IsEmpty ? null : first.Buffer.FirstSpan[0] == (byte)'*';
            input.AdvanceTo(first.Buffer.End);
            return resp;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private string Message(RejectReason reason, IPAddress? address) => reason == RejectReason.MaxConnections
        ? $"max number of clients reached: this server takes {limits.MaxConnections} connections (--max-connections)"
        : $"max number of clients reached: this server takes {limits.MaxConnectionsPerIp} connections from {address} (--max-connections-per-ip)";

    private static byte[] HttpRefusal(string message)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["status"] = "ERROR", ["message"] = message });
        string head = $"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }
}
