using System.Buffers;
using System.IO.Pipelines;
using KubeCache.Hosting.Limits;
using KubeCache.Hosting.Transport;
using KubeCache.HttpContract;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace KubeCache.Hosting.Http;

/// <summary>
/// Connection middleware in front of Kestrel's HTTP/1.1 on a plain HTTP port: it answers the key
/// API's hot requests (<see cref="HotRequest"/>) itself and hands the connection to Kestrel, with
/// every byte it has not consumed, at the first request it does not take. It only switches between
/// requests, so Kestrel sees a connection that starts at a request, as any new one. When the
/// backend answers at once (a node's store: <see cref="IHotKeyRequests.AnswersAtOnce"/>) and the
/// transport is the event loop, the requests are answered on the loop as they are read
/// (<see cref="IInlineServingFeature"/>: no pipe or task per request), until one is not hot, a
/// reply must wait for the backend or the client does not take its replies; from then on, and
/// otherwise (a router, .NET's socket engine), from the connection's pipes, with one flush per
/// batch of pipelined requests, until batches whose replies were all given at once send it back to the loop
/// (<see cref="InlineReturn"/>).
/// </summary>
/// <remarks>
/// While it owns the connection it keeps Kestrel's rules: --idle-timeout between requests and
/// --output-timeout (or the reply's size over --min-data-rate) for a client that does not read
/// (<see cref="ServerLimits.ServeTimedAsync"/>), and on the loop a request not yet complete waits
/// for its rest under --request-timeout; from the pipes a request not yet complete, a stopping server
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

    /// <summary>
    /// Answers hot requests until the connection ends (false) or reaches one for Kestrel (true): on
    /// the transport's loop while it can, then from the pipes, and back to the loop after batches
    /// from the pipes whose replies were all given at once (<see cref="InlineReturn"/>).
    /// </summary>
    private async Task<bool> ServeAsync(ConnectionContext connection)
    {
        PipeReader input = connection.Transport.Input;
        PipeWriter output = connection.Transport.Output;
        CancellationToken closeRequested = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
        IInlineServingFeature? inline = requests.AnswersAtOnce ? connection.Features.Get<IInlineServingFeature>() : null;
        InlineReturn? returning = inline is null ? null : new InlineReturn();
        try
        {
            while (true)
            {
                if (inline is not null && !closeRequested.IsCancellationRequested)
                {
                    (bool open, int answered) = await ServeInlineAsync(inline, input, output, closeRequested, connection.ConnectionClosed).ConfigureAwait(false);
                    if (!open)
                    {
                        return false;
                    }

                    returning!.Left(answered);
                }

                PipesServed served = await ServeFromPipesAsync(input, output, closeRequested, connection.ConnectionClosed, returning).ConfigureAwait(false);
                if (served != PipesServed.BackInline)
                {
                    return served == PipesServed.HandOver;
                }
            }
        }
        catch (Exception e) when (e is ConnectionResetException or ConnectionAbortedException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Answers on the transport's loop until the connection leaves it; <c>Open</c> is false when the connection ended meanwhile.</summary>
    private async Task<(bool Open, int Answered)> ServeInlineAsync(IInlineServingFeature inline, PipeReader input, PipeWriter output, CancellationToken closeRequested, CancellationToken aborted)
    {
        var deadline = input as GuardedInput;
        var served = new InlineRequests(this, deadline, aborted);
        await limits.ServeInlineAsync(inline, served, deadline, closeRequested, resp: false).ConfigureAwait(false);

        // Replies not yet written wait in the output, ahead of a reply the backend could not give at once.
        if (served.Pending is { } pending)
        {
            HotResponse.Write(output, await pending.ConfigureAwait(false));
        }

        // A client that did not take its replies gets them here, under the output deadline.
        return (!(await output.FlushAsync().ConfigureAwait(false)).IsCompleted, served.Answered);
    }

    /// <summary>How serving from the pipes ended.</summary>
    private enum PipesServed
    {
        /// <summary>The connection ended.</summary>
        Ended,

        /// <summary>At a request for Kestrel (or Kestrel asked the connection to close).</summary>
        HandOver,

        /// <summary>After batches whose replies were all given at once, with nothing left over (<see cref="InlineReturn"/>): back to the loop.</summary>
        BackInline,
    }

    /// <summary>Answers from the pipes; <paramref name="returning"/>, when the connection can be served on its loop, says when it goes back there.</summary>
    private async Task<PipesServed> ServeFromPipesAsync(PipeReader input, PipeWriter output, CancellationToken closeRequested, CancellationToken aborted, InlineReturn? returning)
    {
        using CancellationTokenRegistration wake = closeRequested.UnsafeRegister(static reader => ((PipeReader)reader!).CancelPendingRead(), input);
        while (true)
        {
            ReadResult result = await input.ReadAsync().ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (result.IsCanceled || closeRequested.IsCancellationRequested)
            {
                input.AdvanceTo(buffer.Start);
                return PipesServed.HandOver;
            }

            (SequencePosition consumed, bool handOver, bool waited) = await AnswerAsync(buffer, output, aborted).ConfigureAwait(false);
            bool servedAll = buffer.Slice(consumed).IsEmpty;
            bool ended = result.IsCompleted && servedAll;
            input.AdvanceTo(consumed);
            FlushResult flushed = await output.FlushAsync().ConfigureAwait(false);
            if (ended || flushed.IsCompleted)
            {
                return PipesServed.Ended;
            }

            if (handOver)
            {
                return PipesServed.HandOver;
            }

            if (returning is not null && returning.BatchServed(servedAll && !waited))
            {
                return PipesServed.BackInline;
            }
        }
    }

    /// <summary>
    /// Answers the complete hot requests at the start of <paramref name="buffer"/>; hands over at the
    /// first other one. <c>Waited</c> tells whether a reply was not given at once.
    /// </summary>
    private async ValueTask<(SequencePosition Consumed, bool HandOver, bool Waited)> AnswerAsync(
        ReadOnlySequence<byte> buffer, PipeWriter output, CancellationToken aborted)
    {
        SequencePosition consumed = buffer.Start;
        bool waited = false;
        while (true)
        {
            ReadOnlySequence<byte> rest = buffer.Slice(consumed);
            if (rest.IsEmpty)
            {
                return (consumed, false, waited);
            }

            // From the pipes a request not yet complete goes to Kestrel too, which waits for the rest under its own deadlines.
            if (!TryRead(rest, out HotRequest request, out _))
            {
                return (consumed, true, waited);
            }

            ValueTask<HttpReply> reply = Answer(request, rest, aborted);
            waited |= !reply.IsCompletedSuccessfully;
            HotResponse.Write(output, await reply.ConfigureAwait(false));
            consumed = rest.GetPosition(request.Length);
            if (output.UnflushedBytes > FlushBytes && (await output.FlushAsync(aborted).ConfigureAwait(false)).IsCompleted)
            {
                return (consumed, false, waited);
            }
        }
    }

    /// <summary>
    /// The hot request at the start of <paramref name="rest"/>, complete; false for anything Kestrel
    /// must answer (and for every request once the server is stopping), and for a request not yet
    /// complete (<paramref name="incomplete"/>), which may still be one.
    /// </summary>
    private bool TryRead(ReadOnlySequence<byte> rest, out HotRequest request, out bool incomplete)
    {
        if (stopping.IsCancellationRequested)
        {
            request = default;
            incomplete = false;
            return false;
        }

        return HotRequest.TryRead(rest, limits.Limits, maxBodyBytes, out request, out incomplete);
    }

    /// <summary>The reply to <paramref name="request"/>, at the start of <paramref name="rest"/>; a PUT's body is read before this returns.</summary>
    private ValueTask<HttpReply> Answer(HotRequest request, ReadOnlySequence<byte> rest, CancellationToken aborted) =>
        request.Query is { } query
            ? requests.GetAsync(query, aborted)
            : requests.PutAsync(rest.Slice(request.HeadLength, request.BodyLength), aborted);

    /// <summary>
    /// The hot requests of one connection answered on its transport's loop: each reply given at
    /// once is written there; the first one the backend must wait for (a key still moving here)
    /// is kept in <see cref="Pending"/> and the connection leaves for the pipes, as it does at the
    /// first request that is not hot.
    /// </summary>
    private sealed class InlineRequests(HotConnection owner, GuardedInput? deadline, CancellationToken aborted) : IInlineProtocol
    {
        public ValueTask<HttpReply>? Pending { get; private set; }

        /// <summary>Requests answered so far (the one pending included).</summary>
        public int Answered { get; private set; }

        public int Serve(ReadOnlyMemory<byte> input, InlineOutput output, out InlineNext next)
        {
            int consumed = 0;
            next = InlineNext.More;
            while (consumed < input.Length)
            {
                if (output.Length > FlushBytes)
                {
                    next = InlineNext.Write;
                    break;
                }

                var rest = new ReadOnlySequence<byte>(input[consumed..]);
                if (!owner.TryRead(rest, out HotRequest request, out bool incomplete))
                {
                    next = incomplete ? InlineNext.Wait : InlineNext.Leave;
                    break;
                }

                ValueTask<HttpReply> reply = owner.Answer(request, rest, aborted);
                consumed += (int)request.Length;
                Answered++;
                if (!reply.IsCompletedSuccessfully)
                {
                    Pending = reply;
                    next = InlineNext.Leave;
                    break;
                }

                HotResponse.Write(output, reply.Result);
            }

            deadline?.ServedInline(consumed, next == InlineNext.Wait ? input.Length - consumed : 0);
            return consumed;
        }
    }
}
