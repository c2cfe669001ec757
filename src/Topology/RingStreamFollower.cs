namespace KubeCache.Topology;

/// <summary>
/// Follows ring documents delivered as a stream of bytes, such as a ConfigMap key watched through
/// the Kubernetes API. A null item (the document is absent, e.g. the ConfigMap was deleted) keeps
/// the document in use: a ring only ever moves forward.
/// </summary>
/// <param name="description">Names the source for messages.</param>
/// <param name="documents">Opens the stream; it should end, not throw, when the token fires.</param>
public sealed class RingStreamFollower(string description, Func<CancellationToken, IAsyncEnumerable<byte[]?>> documents) : RingSource
{
    public override string Description { get; } = description;

    public override async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (byte[]? bytes in documents(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (bytes is not null)
                {
                    Offer(bytes);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
