using k8s;
using k8s.Models;
using KubeCache.Kubernetes;

namespace KubeCache.Conformance.Tests;

public abstract partial class Scenarios
{
    // A real apiserver sends a bookmark 2 s before a watch's timeout at the latest (else about every minute).
    private const int WatchSeconds = 10;

    [SkippableFact]
    public async Task Watch_FromListResourceVersion_DeliversAddedThenABookmark()
    {
        string ns = await NamespaceAsync();
        KubernetesList<V1ConfigMap> list = await Admin.ListAsync<V1ConfigMap>(ApiResource.ConfigMaps, ns, default);
        var seen = new List<(WatchEventType Type, V1ConfigMap Object)>();

        await foreach ((WatchEventType type, V1ConfigMap obj) in Admin.WatchAsync<V1ConfigMap>(ApiResource.ConfigMaps, ns, default, list.Metadata.ResourceVersion,
            WatchSeconds))
        {
            seen.Add((type, obj));
            if (seen.Count == 1)
            {
                await Admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns, "after-list"), ns);
            }

            if (type == WatchEventType.Bookmark && seen.Any(e => e.Type == WatchEventType.Added))
            {
                break;
            }
        }

        // The first event may be a bookmark (the create is made after it), never an object from before the list.
        (WatchEventType Type, V1ConfigMap Object) added = Assert.Single(seen, e => e.Type != WatchEventType.Bookmark);
        Assert.Equal((WatchEventType.Added, "after-list"), (added.Type, added.Object.Metadata.Name));
        (WatchEventType Type, V1ConfigMap Object) bookmark = seen[^1];
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.False(string.IsNullOrEmpty(bookmark.Object.Metadata.ResourceVersion));
    }

    [SkippableFact]
    public async Task Watch_FromForgottenResourceVersion_Ends410ExpiredAndARelistServes()
    {
        string ns = await NamespaceAsync();
        await Admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns, "before"), ns);
        Target.ForgetWatchHistory();

        KubernetesException expired = await Assert.ThrowsAsync<KubernetesException>(async () =>
        {
            await foreach (var _ in Admin.WatchAsync<V1ConfigMap>(ApiResource.ConfigMaps, ns, default, "1", WatchSeconds))
            {
            }
        });

        Assert.Equal(410, expired.Status.Code);
        Assert.Equal("Expired", expired.Status.Reason);
        Assert.True(ApiErrors.IsExpired(expired));
        KubernetesList<V1ConfigMap> relist = await Admin.ListAsync<V1ConfigMap>(ApiResource.ConfigMaps, ns, default);
        Assert.Equal(["before"], relist.Items.Select(c => c.Metadata.Name));
    }

    private static V1ConfigMap ConfigMap(string ns, string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Data = new Dictionary<string, string> { ["key"] = "value" },
    };
}
