using System.Buffers;

namespace KubeCache.Hosting.Transport;

/// <summary>
/// A protocol a connection answers on its loop thread as the bytes arrive, run to completion:
/// no pipes and no tasks between the socket and the reply (<see cref="IInlineServingFeature"/>).
/// </summary>
internal interface IInlineProtocol
{
    /// <summary>
    /// Answers the requests at the start of <paramref name="input"/>, writing their replies to
    /// <paramref name="output"/>, returns the bytes it consumed and says what the connection does
    /// next (<paramref name="next"/>). <paramref name="input"/> is only valid during the call.
    /// </summary>
    int Serve(ReadOnlyMemory<byte> input, InlineOutput output, out InlineNext next);
}

/// <summary>What a connection served inline does after <see cref="IInlineProtocol.Serve"/>.</summary>
internal enum InlineNext
{
    /// <summary>Every byte was consumed: serve what arrives next.</summary>
    More,

    /// <summary>The replies are past what the protocol buffers: write them, then call again with the rest.</summary>
    Write,

    /// <summary>The rest is the start of a request not yet complete: keep it, and call again with it and what arrives next.</summary>
    Wait,

    /// <summary>Back to the pipes: the input not consumed, and the replies not yet written, go there.</summary>
    Leave,

    /// <summary>
    /// A reply is owed that is not there yet: write the replies written so far, keep the rest of
    /// the input, and read nothing more until the protocol asks to go on
    /// (<see cref="IInlineServingFeature.ResumeInline"/>); then call again with the rest, empty or not.
    /// </summary>
    Suspend,
}

/// <summary>A connection that can serve an <see cref="IInlineProtocol"/> on its loop (the event-loop transport's).</summary>
internal interface IInlineServingFeature
{
    /// <summary>
    /// Serves the connection with <paramref name="protocol"/> until it leaves, the input ends, or a
    /// write finds the socket full (the pipes, with their deadlines, then wait for the client).
    /// When the task completes, the input not consumed is in the connection's input pipe and the
    /// replies not yet written are in its output pipe, not flushed. The caller must not use the
    /// connection's pipes until then. It may be called again after serving from the pipes; while
    /// replies flushed before are still unwritten (the socket full) it completes at once.
    /// </summary>
    Task ServeInlineAsync(IInlineProtocol protocol);

    /// <summary>From any thread: ends inline serving at the loop's next turn (a server asking its connections to close).</summary>
    void LeaveInline();

    /// <summary>
    /// From any thread: a connection suspended for a reply owed (<see cref="InlineNext.Suspend"/>)
    /// is served again once the loop has handled its current events, never inside another
    /// connection's turn; a connection not suspended, or no longer served inline, ignores it.
    /// </summary>
    void ResumeInline();
}

/// <summary>
/// The replies of the connection a loop is serving inline: one per loop, since the loop writes a
/// connection's replies to its socket (or, when the socket does not take them all, to the
/// connection's output pipe) before it turns to the next connection. Its memory is pooled and
/// kept between connections, up to <see cref="KeptBytes"/>.
/// </summary>
internal sealed class InlineOutput : IBufferWriter<byte>
{
    private const int MinBytes = 4096;

    /// <summary>A buffer a long reply grew past this goes back to the pool once it is written, so one large value does not hold memory for good.</summary>
    private const int KeptBytes = 64 * 1024;

    private byte[] _buffer = [];
    private int _sent;
    private int _written;

    /// <summary>Bytes written and not yet sent.</summary>
    public int Length => _written - _sent;

    public ReadOnlyMemory<byte> Unsent => _buffer.AsMemory(_sent, _written - _sent);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary><paramref name="count"/> bytes went to the socket; once all have, the buffer is empty for the next connection.</summary>
    public void Sent(int count)
    {
        _sent += count;
        if (_sent == _written)
        {
            Clear();
        }
    }

    /// <summary>Forgets what was written (sent, or copied elsewhere).</summary>
    public void Clear()
    {
        _sent = _written = 0;
        if (_buffer.Length > KeptBytes)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        byte[] grown = ArrayPool<byte>.Shared.Rent(Math.Max(MinBytes, 2 * (Length + sizeHint)));
        Unsent.Span.CopyTo(grown);
        int length = Length;
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = grown;
        _sent = 0;
        _written = length;
    }
}
