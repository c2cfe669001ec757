using k8s;
using k8s.Models;
using KubeCache.Kubernetes;

namespace KubeCache.Conformance.Tests;

public abstract partial class Scenarios
{
    // A real apiserver sends a bookmark 2 s before a watch's timeout at the latest (else about every minute).
    private const int WatchSeconds = 10;

    [SkippableFact]
    public async Task Watch_FromListResourceVersion_DeliversLaterObjectsThenABookmark()
    {
        string ns = await NamespaceAsync();
        await Admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns, "before-list"), ns);
        KubernetesList<V1ConfigMap> list = await Admin.ListAsync<V1ConfigMap>(ApiResource.ConfigMaps, ns, default);
        // Made before the watch starts: a watch from the list's RV replays it, so no race with the connection.
        await Admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns, "after-list"), ns);
        var seen = new List<(WatchEventType Type, V1ConfigMap Object)>();

        await foreach ((WatchEventType type, V1ConfigMap obj) in Admin.WatchAsync<V1ConfigMap>(ApiResource.ConfigMaps, ns, default, list.Metadata.ResourceVersion,
            WatchSeconds))
        {
            seen.Add((type, obj));
            if (type == WatchEventType.Bookmark)
            {
                break;
            }
        }

        Assert.Equal([(WatchEventType.Added, "after-list"), (WatchEventType.Bookmark, null)],
            seen.Select(e => (e.Type, e.Type == WatchEventType.Bookmark ? null : e.Object.Metadata.Name)));
        Assert.False(string.IsNullOrEmpty(seen[^1].Object.Metadata.ResourceVersion));
    }

    [SkippableFact]
    public async Task Watch_FromForgottenResourceVersion_Ends410ExpiredAndARelistServes()
    {
        string ns = await NamespaceAsync();
        await Admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns, "before"), ns);
        Target.ForgetWatchHistory();

        // An apiserver answers with a 410 ERROR event in a 200 watch (KubernetesException); an HTTP 410 would do as well for the informer.
        Exception expired = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var _ in Admin.WatchAsync<V1ConfigMap>(ApiResource.ConfigMaps, ns, default, "1", WatchSeconds))
            {
            }
        });

        Assert.True(ApiErrors.IsExpired(expired), expired.ToString());
        Assert.Equal((System.Net.HttpStatusCode.Gone, "Expired"), (ApiErrors.StatusCodeOf(expired), ApiErrors.StatusOf(expired)?.Reason));
        KubernetesList<V1ConfigMap> relist = await Admin.ListAsync<V1ConfigMap>(ApiResource.ConfigMaps, ns, default);
        Assert.Equal(["before"], relist.Items.Select(c => c.Metadata.Name));
    }

    private static V1ConfigMap ConfigMap(string ns, string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Data = new Dictionary<string, string> { ["key"] = "value" },
    };
}
