namespace KubeCache.Topology;

/// <summary>
/// The rules every <see cref="IRingSource"/> applies to the bytes it reads: unchanged bytes are
/// skipped, a document that fails to parse or is older (<see cref="RingDocument.IsNewerThan"/>) is rejected, and anything
/// else becomes the current document.
/// </summary>
internal sealed class RingDocumentTracker
{
    private byte[] _lastBytes = [];

    public RingDocument? Current { get; private set; }

    public event Action<RingDocument>? Changed;

    public event Action<string>? Rejected;

    /// <summary>Takes the bytes read from the source; returns whether a new document was taken.</summary>
    public bool Offer(byte[] bytes)
    {
        if (bytes.AsSpan().SequenceEqual(_lastBytes))
        {
            return false;
        }

        _lastBytes = bytes;
        RingDocument document;
        try
        {
            document = RingDocument.Parse(bytes);
        }
        catch (RingFormatException e)
        {
            Rejected?.Invoke(e.Message);
            return false;
        }

        if (Current is { } current && current.IsNewerThan(document))
        {
            Rejected?.Invoke(document.Epoch < current.Epoch
                ? $"epoch {document.Epoch} is older than the epoch {current.Epoch} in use"
                : $"epoch {document.Epoch} is still rebalancing, but its finish is in use already");
            return false;
        }

        Current = document;
        Changed?.Invoke(document);
        return true;
    }
}
