using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace KubeCache.Kubernetes;

/// <summary>
/// Follows one key of one ConfigMap through the API: the value's bytes once the first list is
/// done, then each time they change (null while the ConfigMap or the key is absent). It lists and
/// watches with <c>fieldSelector=metadata.name=NAME</c>, because RBAC matches list and watch
/// against <c>resourceNames</c> only with that selector; an <see cref="Informer{T}"/> does the
/// rest (resume from the last resourceVersion, relist after a 410 or a dropped watch, backoff on
/// errors). It depends on no logging library: failures go to <see cref="Error"/>.
/// </summary>
public sealed class ConfigMapKeyWatcher
{
    private readonly IKubernetes _client;
    private readonly InformerOptions _options;

    /// <param name="recovery">
    /// Backoff, watch timeout and clock of the underlying informer (<see cref="InformerOptions"/>
    /// defaults when null); its namespace and selectors are replaced by this watcher's.
    /// </param>
    public ConfigMapKeyWatcher(IKubernetes client, string ns, string name, string key, InformerOptions? recovery = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(key);
        _client = client;
        Namespace = ns;
        Name = name;
        Key = key;
        recovery ??= new InformerOptions();
        _options = new InformerOptions
        {
            Namespace = ns,
            FieldSelector = "metadata.name=" + name,
            MinWatchTimeout = recovery.MinWatchTimeout,
            InitialBackoff = recovery.InitialBackoff,
            MaxBackoff = recovery.MaxBackoff,
            BackoffResetAfter = recovery.BackoffResetAfter,
            TimeProvider = recovery.TimeProvider,
        };
    }

    public string Namespace { get; }

    public string Name { get; }

    public string Key { get; }

    /// <summary>Names what is followed, for messages: <c>ConfigMap ns/name key k</c>.</summary>
    public string Description => $"ConfigMap {Namespace}/{Name} key {Key}";

    /// <summary>Raised when a list or watch fails; the watcher recovers by itself. For logging.</summary>
    public event Action<Exception>? Error;

    /// <summary>
    /// Yields the key's value after the first list and after every change of it, until
    /// <paramref name="cancellationToken"/> fires (then the sequence ends; it never throws for API
    /// or network failures). A consumer slower than the changes gets the newest value, not each one.
    /// </summary>
    public async IAsyncEnumerable<byte[]?> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Only the newest value matters to a follower, so a busy consumer skips intermediate ones.
        var values = Channel.CreateBounded<byte[]?>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var publisher = new Publisher(values.Writer);
        var informer = new Informer<V1ConfigMap>(_client, ApiResource.ConfigMaps, _options);
        informer.Changed += change => publisher.Publish(change.Type == InformerEventType.Deleted ? null : ValueOf(change.Object));
        informer.Error += e => Error?.Invoke(e);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task run = informer.RunAsync(stop.Token);
        // An absent ConfigMap raises no event; the first list still settles "absent".
        Task synced = informer.WaitForSyncAsync(stop.Token).ContinueWith(
            _ => publisher.PublishIfFirst(null), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        try
        {
            while (true)
            {
                byte[]? value;
                try
                {
                    value = await values.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                yield return value;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await synced.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private byte[]? ValueOf(V1ConfigMap map) =>
        map.Data?.TryGetValue(Key, out string? text) == true ? Encoding.UTF8.GetBytes(text)
        : map.BinaryData?.TryGetValue(Key, out byte[]? bytes) == true ? bytes
        : null;

    /// <summary>Passes on values that differ from the last one passed on.</summary>
    private sealed class Publisher(ChannelWriter<byte[]?> writer)
    {
        private readonly Lock _gate = new();
        private bool _any;
        private byte[]? _last;

        public void Publish(byte[]? value)
        {
            lock (_gate)
            {
                if (_any && (value is null ? _last is null : _last is not null && value.AsSpan().SequenceEqual(_last)))
                {
                    return;
                }

                _any = true;
                _last = value;
                writer.TryWrite(value);
            }
        }

        public void PublishIfFirst(byte[]? value)
        {
            lock (_gate)
            {
                if (!_any)
                {
                    Publish(value);
                }
            }
        }
    }
}
