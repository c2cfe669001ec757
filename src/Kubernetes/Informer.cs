using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace KubeCache.Kubernetes;

/// <summary>
/// Keeps a local copy of a collection current: lists it, then watches from the list's
/// resourceVersion, and tells <see cref="Changed"/> about every add, update and delete. After
/// an expired watch (410) it relists at the last resourceVersion it saw, falling back to a
/// quorum list; after a dropped connection it waits (800 ms doubling to 30 s, jittered) and
/// relists, reporting objects that vanished meanwhile as deleted. Start it with
/// <see cref="RunAsync"/>; read the cache once <see cref="WaitForSyncAsync"/> completes.
/// </summary>
public sealed partial class Informer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubernetes _client;
    private readonly ApiResource _resource;
    private readonly InformerOptions _options;
    private readonly ConcurrentDictionary<string, T> _cache = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Serialises cache updates with event delivery, so handlers see events in order and resync never interleaves.
    private readonly Lock _gate = new();
    private volatile string? _lastSyncResourceVersion;

    public Informer(IKubernetes client, ApiResource resource, InformerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(resource);
        _client = client;
        _resource = resource;
        _options = options ?? new InformerOptions();
    }

    /// <summary>
    /// Raised for every change, in order, on the informer's loop, after the cache reflects it.
    /// Handlers should be quick (queue the object's key, say); an exception from one is passed to
    /// <see cref="Error"/> and does not stop the informer.
    /// </summary>
    public event Action<InformerEvent<T>>? Changed;

    /// <summary>Raised when a list, watch or handler fails; the informer recovers by itself. For logging.</summary>
    public event Action<Exception>? Error;

    /// <summary>True once the first list has filled the cache.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion of the last list, event or bookmark applied; where a rewatch resumes.</summary>
    public string? LastSyncResourceVersion => _lastSyncResourceVersion;

    /// <summary>Completes when the first list has filled the cache.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>The cached object, or null. Treat it as read-only: it is shared with other readers.</summary>
    /// <param name="ns">The object's namespace; ignored for cluster-scoped resources.</param>
    public T? Get(string? ns, string name) => _cache.GetValueOrDefault(Key(_resource.Namespaced ? ns : null, name));

    /// <summary>A snapshot of every cached object.</summary>
    public IReadOnlyList<T> List() => [.. _cache.Values];

    /// <summary>The cache key: <c>namespace/name</c>, or <c>name</c> for cluster-scoped objects.</summary>
    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    private static string KeyOf(T obj) => Key(obj.Metadata?.NamespaceProperty, obj.Metadata?.Name ?? "");

    private void Raise(InformerEvent<T> change)
    {
        Action<InformerEvent<T>>? handlers = Changed;
        if (handlers is null)
        {
            return;
        }
        foreach (Action<InformerEvent<T>> handler in handlers.GetInvocationList().Cast<Action<InformerEvent<T>>>())
        {
            try
            {
                handler(change);
            }
            catch (Exception e)
            {
                ReportError(e);
            }
        }
    }

    private void ReportError(Exception error)
    {
        try
        {
            Error?.Invoke(error);
        }
        catch (Exception)
        {
            // A failing error handler must not take the loop down with it.
        }
    }
}
