using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Http;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Selectors;
using KubeCache.FakeApiServer.Storage;
using KubeCache.FakeApiServer.Table;

namespace KubeCache.FakeApiServer.Watch;

/// <summary>
/// Serves <c>?watch=1</c>: a chunked stream of one JSON event per line. Selectors filter with
/// transitions (an object leaving the selector is DELETED, entering it is ADDED), bookmarks
/// come periodically and when the watch times out, and a compacted start revision gets 410.
/// </summary>
internal sealed class WatchHandler(ResourceStore store, FakeApiServerOptions options, TableConverter tables)
{
    /// <summary>How a too-old start revision is reported. Default an ERROR event, as a real apiserver does.</summary>
    public ExpiredWatchMode ExpiredMode { get; set; } = ExpiredWatchMode.ErrorEvent;

    public async Task ServeAsync(ApiRequest r, string? name)
    {
        var labels = LabelSelector.Parse(r.QueryValue("labelSelector"));
        var fieldText = r.QueryValue("fieldSelector");
        if (name is not null)
        {
            fieldText = string.IsNullOrEmpty(fieldText) ? $"metadata.name={name}" : $"{fieldText},metadata.name={name}";
        }
        var fields = FieldSelector.Parse(fieldText, r.Type.IsCustom);
        var after = StartRevision(r.QueryValue("resourceVersion"));
        var bookmarks = r.Flag("allowWatchBookmarks");
        var timeout = int.TryParse(r.QueryValue("timeoutSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : options.DefaultWatchTimeout;
        var asTable = r.Context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

        WatchSubscription sub;
        try
        {
            sub = store.Subscribe(r.Type.StorageKey, r.Type.Namespaced ? r.Namespace : null, after);
        }
        catch (ApiException e) when (e.Code == 410 && ExpiredMode == ExpiredWatchMode.ErrorEvent)
        {
            await StartAsync(r).ConfigureAwait(false);
            await WriteLineAsync(r, WatchEvent.Error, e.ToStatus()).ConfigureAwait(false);
            return;
        }
        try
        {
            if (after is null && bookmarks && r.Flag("sendInitialEvents"))
            {
                store.PostBookmark(sub, new JsonObject { ["k8s.io/initial-events-end"] = "true" });
            }
            await StartAsync(r).ConfigureAwait(false);
            await StreamAsync(r, sub, new Filter(labels, fields), bookmarks, timeout, asTable).ConfigureAwait(false);
        }
        finally
        {
            store.Unsubscribe(sub);
        }
    }

    private async Task StreamAsync(ApiRequest r, WatchSubscription sub, Filter filter, bool bookmarks, TimeSpan timeout, bool asTable)
    {
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(r.Context.RequestAborted);
        expiry.CancelAfter(timeout);
        using var ticker = bookmarks ? new PeriodicTimer(options.BookmarkInterval) : null;
        var tick = ticker is null ? null : Task.Run(async () =>
        {
            while (await ticker.WaitForNextTickAsync(expiry.Token).ConfigureAwait(false))
            {
                store.PostBookmark(sub);
            }
        });
        var ending = false;
        while (true)
        {
            WatchEvent e;
            try
            {
                if (!await sub.Reader.WaitToReadAsync(ending ? r.Context.RequestAborted : expiry.Token).ConfigureAwait(false))
                {
                    break;
                }
                e = await sub.Reader.ReadAsync(r.Context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!r.Context.RequestAborted.IsCancellationRequested && !ending)
            {
                if (!bookmarks)
                {
                    break;
                }
                ending = true;
                store.PostBookmark(sub, new JsonObject { [EndMarker] = "true" });
                continue;
            }
            if (ToLine(r.Type, e, filter, asTable, r) is { } line)
            {
                await WriteLineAsync(r, line.Type, line.Object).ConfigureAwait(false);
            }
            if (ending && e.Type == WatchEvent.Bookmark && e.Object["metadata"]?["annotations"]?[EndMarker] is not null)
            {
                break;
            }
        }
        if (tick is not null)
        {
            await expiry.CancelAsync().ConfigureAwait(false);
            await tick.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private const string EndMarker = "kubecache.io/fake-watch-end";

    private (string Type, JsonObject Object)? ToLine(ResourceType type, WatchEvent e, Filter filter, bool asTable, ApiRequest r)
    {
        if (e.Type == WatchEvent.Bookmark)
        {
            var meta = (JsonObject)e.Object["metadata"]!.DeepClone();
            (meta["annotations"] as JsonObject)?.Remove(EndMarker);
            if (meta["annotations"] is JsonObject { Count: 0 })
            {
                meta.Remove("annotations");
            }
            return (WatchEvent.Bookmark, new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.GroupVersion, ["metadata"] = meta });
        }
        var now = filter.Matches(e.Object);
        var before = e.Previous is not null && filter.Matches(e.Previous);
        var kind = e.Type switch
        {
            WatchEvent.Added => now ? WatchEvent.Added : null,
            WatchEvent.Deleted => now || before ? WatchEvent.Deleted : null,
            _ when e.Previous is null => now ? WatchEvent.Modified : null,
            _ => (before, now) switch
            {
                (true, true) => WatchEvent.Modified,
                (false, true) => WatchEvent.Added,
                (true, false) => WatchEvent.Deleted,
                _ => null,
            },
        };
        if (kind is null)
        {
            return null;
        }
        var obj = ResourceHandlers.Present(type, e.Object);
        if (asTable)
        {
            obj = tables.Convert(type, [obj], obj.ResourceVersion(), r.QueryValue("includeObject") ?? "Metadata");
        }
        return (kind, obj);
    }

    private static long? StartRevision(string? text)
    {
        if (string.IsNullOrEmpty(text) || text == "0")
        {
            return null;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw ApiErrors.BadRequest($"invalid resource version: {text}");
    }

    private static async Task StartAsync(ApiRequest r)
    {
        r.Context.Response.StatusCode = 200;
        r.Context.Response.ContentType = "application/json";
        await r.Context.Response.StartAsync(r.Context.RequestAborted).ConfigureAwait(false);
        await r.Context.Response.Body.FlushAsync(r.Context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteLineAsync(ApiRequest r, string type, JsonObject obj)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj }.ToJsonString(JsonOptions.Compact) + "\n";
        await r.Context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), r.Context.RequestAborted).ConfigureAwait(false);
        await r.Context.Response.Body.FlushAsync(r.Context.RequestAborted).ConfigureAwait(false);
    }

    private sealed record Filter(LabelSelector Labels, FieldSelector Fields)
    {
        public bool Matches(JsonObject o) => Labels.Matches(o.Labels()) && Fields.Matches(o);
    }
}
