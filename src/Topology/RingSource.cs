namespace KubeCache.Topology;

/// <summary>
/// What every <see cref="IRingSource"/> does with the bytes it reads (<see cref="Offer"/>):
/// unchanged bytes are skipped, a document that fails to parse or is older
/// (<see cref="RingDocument.IsNewerThan"/>) is rejected, and anything else becomes the current
/// document. Subclasses only read their source.
/// </summary>
public abstract class RingSource : IRingSource
{
    private byte[] _lastBytes = [];

    /// <inheritdoc/>
    public abstract string Description { get; }

    /// <inheritdoc/>
    public RingDocument? Current { get; private set; }

    /// <inheritdoc/>
    public event Action<RingDocument>? Changed;

    /// <inheritdoc/>
    public event Action<string>? Rejected;

    /// <inheritdoc/>
    public abstract Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Takes the bytes read from the source; returns whether a new document was taken.</summary>
    protected bool Offer(byte[] bytes)
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
