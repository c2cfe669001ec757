using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeCache.Kubernetes;

/// <summary>
/// Typed calls over KubernetesClient's generic object API, named by an <see cref="ApiResource"/>,
/// so one code path serves built-in kinds (<c>k8s.Models</c>) and our custom resources alike:
/// server-side apply of objects and their <c>/status</c>, get, delete, paged list and watch.
/// </summary>
public static class KubernetesApi
{
    /// <summary>
    /// Server-side apply (<c>PatchType.ApplyPatch</c>, <c>force=true</c>) of <paramref name="obj"/>
    /// as <paramref name="fieldManager"/>; with <paramref name="status"/> it applies <c>/status</c>.
    /// </summary>
    public static async Task<T> ApplyAsync<T>(this IKubernetes client, ApiResource resource, T obj, string fieldManager, bool status = false,
        CancellationToken cancellationToken = default)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentException.ThrowIfNullOrEmpty(fieldManager);
        (string ns, string name) = NamespacedName(obj);
        var patch = new V1Patch(obj, V1Patch.PatchType.ApplyPatch);
        ICustomObjectsOperations api = client.CustomObjects;
        HttpOperationResponse<T> response = status
            ? await api.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(patch, resource.Group, resource.Version, ns, resource.Plural, name,
                fieldManager: fieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await api.PatchNamespacedCustomObjectWithHttpMessagesAsync<T>(patch, resource.Group, resource.Version, ns, resource.Plural, name,
                fieldManager: fieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        using (response)
        {
            return response.Body;
        }
    }

    /// <summary>The object, or null when it does not exist.</summary>
    public static async Task<T?> TryGetAsync<T>(this IKubernetes client, ApiResource resource, string ns, string name,
        CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(resource);
        try
        {
            using HttpOperationResponse<T> response = await client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<T>(
                resource.Group, resource.Version, ns, resource.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.Body;
        }
        catch (HttpOperationException e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Deletes the object; false when it does not exist or, with <paramref name="uid"/>, when the
    /// object of that name is another one (the precondition failed: it was replaced meanwhile).
    /// </summary>
    public static async Task<bool> DeleteAsync(this IKubernetes client, ApiResource resource, string ns, string name,
        CancellationToken cancellationToken = default, string? uid = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(resource);
        V1DeleteOptions? options = uid is null ? null : new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid } };
        try
        {
            using HttpOperationResponse<object> response = await client.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync(
                resource.Group, resource.Version, ns, resource.Plural, name, body: options, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (ApiErrors.IsNotFound(e) || (uid is not null && ApiErrors.IsConflict(e)))
        {
            return false;
        }
    }

    /// <summary>
    /// Every item of the collection (in <paramref name="ns"/>, or all namespaces when null), in pages
    /// of <paramref name="pageSize"/> (0: one request), with the list's resourceVersion.
    /// </summary>
    public static async Task<KubernetesList<T>> ListAsync<T>(this IKubernetes client, ApiResource resource, string? ns, Selectors selectors,
        string? resourceVersion = null, string? resourceVersionMatch = null, int pageSize = 0, CancellationToken cancellationToken = default)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(resource);
        var items = new List<T>();
        string? continueToken = null;
        while (true)
        {
            using HttpOperationResponse<KubernetesList<T>> response = ns is null
                ? await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<KubernetesList<T>>(resource.Group, resource.Version, resource.Plural,
                    continueParameter: continueToken, fieldSelector: selectors.Field, labelSelector: selectors.Label, limit: pageSize > 0 ? pageSize : null,
                    resourceVersion: continueToken is null ? resourceVersion : null, resourceVersionMatch: continueToken is null ? resourceVersionMatch : null,
                    cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<KubernetesList<T>>(resource.Group, resource.Version, ns, resource.Plural,
                    continueParameter: continueToken, fieldSelector: selectors.Field, labelSelector: selectors.Label, limit: pageSize > 0 ? pageSize : null,
                    resourceVersion: continueToken is null ? resourceVersion : null, resourceVersionMatch: continueToken is null ? resourceVersionMatch : null,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            KubernetesList<T> page = response.Body;
            items.AddRange(page.Items ?? []);
            continueToken = page.Metadata?.ContinueProperty;
            if (string.IsNullOrEmpty(continueToken))
            {
                return new KubernetesList<T>(items, page.ApiVersion, page.Kind, page.Metadata);
            }
        }
    }

    /// <summary>
    /// The events of one watch from <paramref name="resourceVersion"/>, with bookmarks, until the
    /// server ends it after <paramref name="timeoutSeconds"/>. An ERROR event (410 Expired above all)
    /// reaches KubernetesClient's caller only through its error callback, and the stream would then
    /// just end; here it ends the enumeration with that error as a <see cref="KubernetesException"/>.
    /// </summary>
    public static async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync<T>(this IKubernetes client, ApiResource resource, string? ns,
        Selectors selectors, string? resourceVersion, int timeoutSeconds, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(resource);
        Exception? error = null;
        IAsyncEnumerable<(WatchEventType, object)> events = ns is null
            ? client.CustomObjects.WatchListClusterCustomObjectAsync(resource.Group, resource.Version, resource.Plural,
                allowWatchBookmarks: true, fieldSelector: selectors.Field, labelSelector: selectors.Label, resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds, onError: e => error ??= e, cancellationToken: cancellationToken)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(resource.Group, resource.Version, ns, resource.Plural,
                allowWatchBookmarks: true, fieldSelector: selectors.Field, labelSelector: selectors.Label, resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds, onError: e => error ??= e, cancellationToken: cancellationToken);
        await using IAsyncEnumerator<(WatchEventType, object)> reader = events.GetAsyncEnumerator(cancellationToken);
        while (error is null && await NextAsync(reader).ConfigureAwait(false))
        {
            (WatchEventType type, object obj) = reader.Current;
            if (error is null)
            {
                yield return (type, KubernetesJson.Deserialize<T>((JsonElement)obj));
            }
        }

        if (error is not null)
        {
            throw error is KubernetesException ? error : new KubernetesException("The watch stream broke: " + error.Message, error);
        }
    }

    // KubernetesClient fails a watch that the server ends before its first line (a quiet watch reaching
    // its timeoutSeconds) with an EndOfStreamException; that is the normal end of a watch.
    private static async ValueTask<bool> NextAsync(IAsyncEnumerator<(WatchEventType, object)> reader)
    {
        try
        {
            return await reader.MoveNextAsync().ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is EndOfStreamException)
        {
            return false;
        }
    }

    private static (string Namespace, string Name) NamespacedName(IKubernetesObject<V1ObjectMeta> obj)
    {
        if (string.IsNullOrEmpty(obj.Metadata?.Name))
        {
            ThrowHelper.ThrowArgument(nameof(obj), "The object has no metadata.name.");
        }

        if (string.IsNullOrEmpty(obj.Metadata.NamespaceProperty))
        {
            ThrowHelper.ThrowArgument(nameof(obj), $"{obj.Kind} '{obj.Metadata.Name}' has no metadata.namespace.");
        }

        return (obj.Metadata.NamespaceProperty, obj.Metadata.Name);
    }
}

/// <summary>The label and field selectors of a list or watch; null selects everything.</summary>
public readonly record struct Selectors(string? Label = null, string? Field = null);
