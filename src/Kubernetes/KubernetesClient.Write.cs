using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using KubeCache.Kubernetes.Models;

namespace KubeCache.Kubernetes;

public sealed partial class KubernetesClient
{
    private const string ApplyPatch = "application/apply-patch+yaml";
    private const string MergePatch = "application/merge-patch+json";

    /// <summary>Creates <paramref name="obj"/> (POST) in its namespace, or <see cref="DefaultNamespace"/> when it names none; returns what the server stored.</summary>
    public Task<T> CreateAsync<T>(ApiResource resource, T obj, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        Stamp(resource, obj);
        return WriteAsync(HttpMethod.Post, resource.PathFor(NamespaceOf(resource, obj)), Serialize(obj, typeInfo), "application/json", typeInfo, cancellationToken);
    }

    /// <summary>
    /// Replaces <paramref name="obj"/> (PUT). It must carry the <c>metadata.resourceVersion</c> it
    /// was read at; when the object changed since, the server refuses with
    /// <see cref="KubernetesConflictException"/>.
    /// </summary>
    public Task<T> ReplaceAsync<T>(ApiResource resource, T obj, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (string.IsNullOrEmpty(obj.Metadata.ResourceVersion))
        {
            ThrowHelper.ThrowArgument(nameof(obj), "Replace needs metadata.resourceVersion (the version the object was read at), so a concurrent change is not overwritten.");
        }
        Stamp(resource, obj);
        string path = resource.PathFor(NamespaceOf(resource, obj), NameOf(obj));
        return WriteAsync(HttpMethod.Put, path, Serialize(obj, typeInfo), "application/json", typeInfo, cancellationToken);
    }

    /// <summary>
    /// Server-side apply: PATCH with <c>application/apply-patch+yaml</c> (a JSON body), creating
    /// the object when it is missing. <paramref name="obj"/> holds only the fields
    /// <paramref name="fieldManager"/> owns; fields it applied before and leaves out are removed.
    /// </summary>
    /// <param name="force">Take fields other managers own instead of failing with 409. Default: true, as controllers should on objects they own.</param>
    /// <param name="subresource">null for the object, <c>"status"</c> for its status.</param>
    public Task<T> ApplyAsync<T>(ApiResource resource, T obj, JsonTypeInfo<T> typeInfo, string fieldManager, bool force = true,
        string? subresource = null, CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentException.ThrowIfNullOrEmpty(fieldManager);
        if (obj.Metadata.ManagedFields is not null)
        {
            ThrowHelper.ThrowArgument(nameof(obj), "An apply body must not carry metadata.managedFields; set it to null.");
        }
        Stamp(resource, obj);
        string path = new QueryString(resource.PathFor(NamespaceOf(resource, obj), NameOf(obj), subresource))
            .Add("fieldManager", fieldManager)
            .Add("force", force ? "true" : null)
            .ToString();
        return WriteAsync(HttpMethod.Patch, path, Serialize(obj, typeInfo), ApplyPatch, typeInfo, cancellationToken);
    }

    /// <summary>
    /// JSON merge patch (RFC 7386) of an object or a subresource (<c>"status"</c>, <c>"scale"</c>).
    /// <paramref name="resultType"/> reads the answer: the object, or a <see cref="Scale"/> for <c>/scale</c>.
    /// </summary>
    /// <param name="ns">The object's namespace; null means <see cref="DefaultNamespace"/>.</param>
    public Task<TResult> MergePatchAsync<TResult>(ApiResource resource, string? ns, string name, JsonNode patch, JsonTypeInfo<TResult> resultType,
        string? subresource = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        byte[] body = Encoding.UTF8.GetBytes(patch.ToJsonString());
        return WriteAsync(HttpMethod.Patch, resource.PathFor(NamespaceOr(ns), name, subresource), body, MergePatch, resultType, cancellationToken);
    }

    /// <summary>
    /// Deletes an object. 200 (gone) and 202 (accepted; finalizers or foreground deletion pending)
    /// both count as success. <paramref name="options"/> carries preconditions (uid,
    /// resourceVersion: 409 when they no longer hold) and the propagation policy.
    /// </summary>
    /// <param name="ns">The object's namespace; null means <see cref="DefaultNamespace"/>.</param>
    /// <param name="ignoreNotFound">Return false instead of throwing when the object does not exist.</param>
    /// <returns>True when the server accepted the delete; false when the object was missing and that was tolerated.</returns>
    public async Task<bool> DeleteAsync(ApiResource resource, string? ns, string name, DeleteOptions? options = null, bool ignoreNotFound = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        byte[]? body = options is null ? null : JsonSerializer.SerializeToUtf8Bytes(options, KubernetesJsonContext.Default.DeleteOptions);
        try
        {
            using CancellationTokenSource timeout = TimeoutAfter(cancellationToken);
            using HttpResponseMessage response = await SendAsync(HttpMethod.Delete, resource.PathFor(NamespaceOr(ns), name), body, "application/json",
                HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (KubernetesApiException e) when (ignoreNotFound && e.IsNotFound)
        {
            return false;
        }
    }

    private async Task<TResult> WriteAsync<TResult>(HttpMethod method, string path, byte[] body, string contentType, JsonTypeInfo<TResult> resultType,
        CancellationToken cancellationToken)
    {
        using CancellationTokenSource timeout = TimeoutAfter(cancellationToken);
        using HttpResponseMessage response = await SendAsync(method, path, body, contentType, HttpCompletionOption.ResponseContentRead, timeout.Token)
            .ConfigureAwait(false);
        return await ReadAsync(response, resultType, timeout.Token).ConfigureAwait(false);
    }

    private static byte[] Serialize<T>(T obj, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(obj, typeInfo);

    /// <summary>apiVersion and kind are required in every body; fill them from the resource when the caller left them out.</summary>
    private static void Stamp(ApiResource resource, KubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(resource);
        obj.ApiVersion ??= resource.ApiVersion;
        obj.Kind ??= resource.Kind;
    }

    private string? NamespaceOf(ApiResource resource, KubernetesObject obj) =>
        resource.Namespaced ? NamespaceOr(obj.Metadata.Namespace) : null;

    private static string NameOf(KubernetesObject obj) =>
        string.IsNullOrEmpty(obj.Metadata.Name) ? ThrowHelper.ThrowArgument<string>(nameof(obj), "The object has no metadata.name.") : obj.Metadata.Name;
}
