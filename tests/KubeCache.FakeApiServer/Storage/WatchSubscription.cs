using System.Threading.Channels;

namespace KubeCache.FakeApiServer.Storage;

/// <summary>One open watch: the store writes matching events into its channel in revision order.</summary>
internal sealed class WatchSubscription(string storageKey, string? ns)
{
    private readonly Channel<WatchEvent> _channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });

    public string StorageKey { get; } = storageKey;

    /// <summary>The namespace watched, or null for all namespaces.</summary>
    public string? Namespace { get; } = ns;

    public ChannelReader<WatchEvent> Reader => _channel.Reader;

    public bool Matches(WatchEvent e) => e.StorageKey == StorageKey && (Namespace is null || Namespace == e.Namespace);

    public void Post(WatchEvent e) => _channel.Writer.TryWrite(e);

    /// <summary>Ends the stream: the watch handler finishes its response.</summary>
    public void Close() => _channel.Writer.TryComplete();
}
