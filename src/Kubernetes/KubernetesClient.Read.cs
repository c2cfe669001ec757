using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KubeCache.Kubernetes.Models;

namespace KubeCache.Kubernetes;

public sealed partial class KubernetesClient
{
    /// <summary>Reads one object. A missing object throws a <see cref="KubernetesApiException"/> with <c>IsNotFound</c>.</summary>
    /// <param name="ns">The object's namespace; null means <see cref="DefaultNamespace"/>. Ignored for cluster-scoped resources.</param>
    public async Task<T> GetAsync<T>(ApiResource resource, string? ns, string name, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using CancellationTokenSource timeout = TimeoutAfter(cancellationToken);
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, resource.PathFor(NamespaceOr(ns), name), null, null,
            HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        return await ReadAsync(response, typeInfo, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Reads one object, or null when it does not exist.</summary>
    public async Task<T?> TryGetAsync<T>(ApiResource resource, string? ns, string name, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
        where T : class
    {
        try
        {
            return await GetAsync(resource, ns, name, typeInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Lists objects, following <c>continue</c> tokens until every page is collected. When a
    /// continue token expires (410) part-way, the list starts over, up to three times, because
    /// pages of different snapshots must not be mixed.
    /// </summary>
    /// <param name="ns">The namespace; null or empty lists all namespaces.</param>
    public async Task<KubernetesList<T>> ListAsync<T>(ApiResource resource, string? ns, JsonTypeInfo<T> typeInfo, ListOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        options ??= new ListOptions();
        for (int restart = 0; ; restart++)
        {
            var list = new KubernetesList<T>();
            string? continueToken = null;
            try
            {
                do
                {
                    KubernetesList<T> page = await ListPageAsync(resource, ns, typeInfo, options, continueToken, cancellationToken).ConfigureAwait(false);
                    if (continueToken is null)
                    {
                        list = new KubernetesList<T> { Metadata = new ListMeta { ResourceVersion = page.Metadata.ResourceVersion } };
                    }
                    list.Items.AddRange(page.Items);
                    continueToken = string.IsNullOrEmpty(page.Metadata.Continue) ? null : page.Metadata.Continue;
                }
                while (continueToken is not null);
                return list;
            }
            catch (KubernetesExpiredException) when (continueToken is not null && restart < 3)
            {
                // The snapshot behind the token is gone; a fresh list is the only consistent answer.
            }
        }
    }

    private async Task<KubernetesList<T>> ListPageAsync<T>(ApiResource resource, string? ns, JsonTypeInfo<T> typeInfo, ListOptions options,
        string? continueToken, CancellationToken cancellationToken)
    {
        string path = new QueryString(resource.PathFor(ns))
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("limit", options.PageSize > 0 ? options.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)
            .Add("continue", continueToken)
            // A continue token carries its snapshot; the server refuses resourceVersion beside it.
            .Add("resourceVersion", continueToken is null ? options.ResourceVersion : null)
            .Add("resourceVersionMatch", continueToken is null ? options.ResourceVersionMatch : null)
            .ToString();
        using CancellationTokenSource timeout = TimeoutAfter(cancellationToken);
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, null, null, HttpCompletionOption.ResponseContentRead, timeout.Token)
            .ConfigureAwait(false);
        await using Stream body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        using JsonDocument document = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token).ConfigureAwait(false);
        return ParseList(document.RootElement, typeInfo);
    }

    /// <summary>Reads a list body with the item type's metadata, so callers need not register a list type.</summary>
    internal static KubernetesList<T> ParseList<T>(JsonElement root, JsonTypeInfo<T> typeInfo)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ThrowHelper.ThrowProtocol<KubernetesList<T>>("A list response is not a JSON object.");
        }
        var list = new KubernetesList<T>
        {
            Metadata = root.TryGetProperty("metadata", out JsonElement meta) && meta.ValueKind == JsonValueKind.Object
                ? meta.Deserialize(ModelsJsonContext.Default.ListMeta) ?? new ListMeta()
                : new ListMeta(),
        };
        if (root.TryGetProperty("items", out JsonElement items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in items.EnumerateArray())
            {
                list.Items.Add(item.Deserialize(typeInfo) ?? ThrowHelper.ThrowProtocol<T>("A list holds a null item."));
            }
        }
        return list;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await JsonSerializer.DeserializeAsync(body, typeInfo, cancellationToken).ConfigureAwait(false)
                ?? ThrowHelper.ThrowProtocol<T>("The server answered with a null object.");
        }
        catch (JsonException e)
        {
            return ThrowHelper.ThrowProtocol<T>($"The server's answer is not a {typeof(T).Name}: {e.Message}", e);
        }
    }
}
