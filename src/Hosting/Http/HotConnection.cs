using System.Buffers;
using System.IO.Pipelines;
using KubeCache.Hosting.Limits;
using KubeCache.HttpContract;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace KubeCache.Hosting.Http;

/// <summary>
/// Connection middleware in front of Kestrel's HTTP/1.1 on a plain HTTP port: it answers the key
/// API's hot requests (<see cref="HotRequest"/>) itself, run to completion on the connection with
/// one flush per batch of pipelined requests, and hands the connection to Kestrel, with every
/// byte it has not consumed, at the first request it does not take. It only switches between
/// requests, so Kestrel sees a connection that starts at a request, as any new one.
/// </summary>
/// <remarks>
/// While it owns the connection it keeps Kestrel's rules: --idle-timeout between requests and
/// --output-timeout (or the reply's size over --min-data-rate) for a client that does not read
/// (<see cref="ServerLimits.ServeTimedAsync"/>); a request not yet complete, a stopping server
/// (whose replies say <c>Connection: close</c>) or Kestrel asking the connection to close goes to
/// Kestrel, which then does what it does for any connection.
/// </remarks>
/// <param name="requests">The process's key API for the hot requests.</param>
/// <param name="limits">The process's connection limits and deadlines.</param>
/// <param name="maxBodyBytes">--max-body-bytes.</param>
/// <param name="stopping">Fires when the server starts to stop.</param>
internal sealed class HotConnection(IHotKeyRequests requests, ServerLimits limits, long maxBodyBytes, CancellationToken stopping)
{
    /// <summary>Replies buffered past this many bytes are flushed before the next request is answered, as Kestrel writes each reply out.</summary>
    private const int FlushBytes = 64 * 1024;

    public ConnectionDelegate Wrap(ConnectionDelegate kestrel) => async connection =>
    {
        bool handOver = false;
        await limits.ServeTimedAsync(connection, async guarded => handOver = await ServeAsync(guarded).ConfigureAwait(false), resp: false).ConfigureAwait(false);
        if (handOver)
        {
            await kestrel(connection).ConfigureAwait(false);
        }
    };

    /// <summary>Answers hot requests until the connection ends (false) or reaches one for Kestrel (true).</summary>
    private async Task<bool> ServeAsync(ConnectionContext connection)
    {
        PipeReader input = connection.Transport.Input;
        PipeWriter output = connection.Transport.Output;
        CancellationToken closeRequested = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
        using CancellationTokenRegistration wake = closeRequested.UnsafeRegister(static reader => ((PipeReader)reader!).CancelPendingRead(), input);
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                if (result.IsCanceled || closeRequested.IsCancellationRequested)
                {
                    input.AdvanceTo(buffer.Start);
                    return true;
                }

                (SequencePosition consumed, bool handOver) = await AnswerAsync(buffer, output, connection.ConnectionClosed).ConfigureAwait(false);
                bool ended = result.IsCompleted && buffer.Slice(consumed).IsEmpty;
                input.AdvanceTo(consumed);
                FlushResult flushed = await output.FlushAsync().ConfigureAwait(false);
                if (ended || flushed.IsCompleted)
                {
                    return false;
                }

                if (handOver)
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is ConnectionResetException or ConnectionAbortedException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Answers the complete hot requests at the start of <paramref name="buffer"/>; hands over at the first other one.</summary>
    private async ValueTask<(SequencePosition Consumed, bool HandOver)> AnswerAsync(
        ReadOnlySequence<byte> buffer, PipeWriter output, CancellationToken aborted)
    {
        SequencePosition consumed = buffer.Start;
        while (true)
        {
            ReadOnlySequence<byte> rest = buffer.Slice(consumed);
            if (rest.IsEmpty)
            {
                return (consumed, false);
            }

            if (stopping.IsCancellationRequested || !HotRequest.TryRead(rest, limits.Limits, maxBodyBytes, out HotRequest request))
            {
                return (consumed, true);
            }

            HttpReply reply = request.Query is { } query
                ? await requests.GetAsync(query, aborted).ConfigureAwait(false)
                : await requests.PutAsync(rest.Slice(request.HeadLength, request.BodyLength), aborted).ConfigureAwait(false);
            HotResponse.Write(output, reply);
            consumed = rest.GetPosition(request.Length);
            if (output.UnflushedBytes > FlushBytes && (await output.FlushAsync(aborted).ConfigureAwait(false)).IsCompleted)
            {
                return (consumed, false);
            }
        }
    }
}
