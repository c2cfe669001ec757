using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KubeCache.Kubernetes.Models;

namespace KubeCache.Kubernetes;

public sealed partial class KubernetesClient
{
    /// <summary>
    /// Watches a collection: one <see cref="WatchEvent{T}"/> per line the server sends, until the
    /// server ends the watch (its timeout) or <paramref name="cancellationToken"/> fires. A 410 —
    /// as the HTTP status or as an ERROR event with reason Expired or Gone — throws
    /// <see cref="KubernetesExpiredException"/>: relist, then watch from the list's resourceVersion.
    /// Other ERROR events throw <see cref="KubernetesApiException"/>.
    /// </summary>
    /// <param name="ns">The namespace; null or empty watches all namespaces.</param>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ApiResource resource, string? ns, JsonTypeInfo<T> typeInfo, WatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        options ??= new WatchOptions();
        string path = new QueryString(resource.PathFor(ns))
            .Add("watch", "1")
            .Add("resourceVersion", options.ResourceVersion)
            .Add("allowWatchBookmarks", options.AllowWatchBookmarks ? "true" : null)
            .Add("timeoutSeconds", options.TimeoutSeconds?.ToString(CultureInfo.InvariantCulture))
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .ToString();

        // Headers only: the body is an endless stream, read line by line below.
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, null, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return ParseWatchEvent(line, typeInfo);
            }
        }
    }

    /// <summary>One line of a watch stream; ERROR events become exceptions.</summary>
    internal static WatchEvent<T> ParseWatchEvent<T>(string line, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            string? type = root.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
            if (!root.TryGetProperty("object", out JsonElement obj) || obj.ValueKind != JsonValueKind.Object)
            {
                return ThrowHelper.ThrowProtocol<WatchEvent<T>>($"A watch event of type '{type}' has no object.");
            }
            WatchEventType kind = type switch
            {
                "ADDED" => WatchEventType.Added,
                "MODIFIED" => WatchEventType.Modified,
                "DELETED" => WatchEventType.Deleted,
                "BOOKMARK" => WatchEventType.Bookmark,
                "ERROR" => throw ThrowHelper.ApiError(WatchErrorStatus(obj)),
                _ => ThrowHelper.ThrowProtocol<WatchEventType>($"Unknown watch event type '{type}'."),
            };
            return new WatchEvent<T>(kind, obj.Deserialize(typeInfo) ?? ThrowHelper.ThrowProtocol<T>("A watch event holds a null object."));
        }
        catch (JsonException e)
        {
            return ThrowHelper.ThrowProtocol<WatchEvent<T>>($"A watch line is not a JSON event: {e.Message}", e);
        }
    }

    private static Status WatchErrorStatus(JsonElement obj)
    {
        Status status = obj.Deserialize(ModelsJsonContext.Default.Status) ?? new Status();
        if (status.Code == 0)
        {
            // An ERROR without a code is still a failure of the watch; 500 keeps it from looking like success.
            status.Code = 500;
        }
        return status;
    }
}
