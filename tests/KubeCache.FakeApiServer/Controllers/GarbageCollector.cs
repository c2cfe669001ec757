using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Writes;

namespace KubeCache.FakeApiServer.Controllers;

/// <summary>
/// What kube-controller-manager does for the apiserver's objects: deletes dependents whose
/// owners are all gone (background propagation), honours the foregroundDeletion and orphan
/// finalizers, and empties terminating namespaces. <see cref="ControllerLoop"/> runs a pass after every change.
/// </summary>
internal sealed class GarbageCollector(ObjectWriter writer, ResourceRegistry registry)
{
    private static readonly DeleteRequest Background = new("Background", null, null);

    /// <summary>One collection pass (public for tests that want a deterministic step).</summary>
    public void Pass()
    {
        lock (writer.Store.Sync)
        {
            var all = writer.Store.All();
            var uids = all.Select(x => x.Object.Uid()).ToHashSet(StringComparer.Ordinal);
            foreach (var (key, obj) in all)
            {
                if (registry.FindStorage(key) is not { } type || writer.Store.Get(key, obj.Namespace(), obj.Name()) is not { } current)
                {
                    continue;
                }
                var deleting = current["metadata"]?["deletionTimestamp"] is not null;
                if (deleting && key == "/namespaces")
                {
                    EmptyNamespace(current);
                }
                else if (deleting && current.Finalizers().Contains(ObjectWriter.OrphanFinalizer))
                {
                    Orphan(current);
                    writer.RemoveFinalizer(type, current, ObjectWriter.OrphanFinalizer);
                }
                else if (deleting && current.Finalizers().Contains(ObjectWriter.ForegroundFinalizer))
                {
                    if (DeleteDependents(current.Uid()) == 0)
                    {
                        writer.RemoveFinalizer(type, current, ObjectWriter.ForegroundFinalizer);
                    }
                }
                else if (!deleting && OwnerUids(current) is { Count: > 0 } owners && !owners.Any(uids.Contains))
                {
                    writer.Delete(type, current, Background);
                }
            }
        }
    }

    private void EmptyNamespace(JsonObject ns)
    {
        var left = 0;
        foreach (var (key, obj) in writer.Store.All().Where(x => x.StorageKey != "/namespaces" && x.Object.Namespace() == ns.Name()))
        {
            left++;
            if (registry.FindStorage(key) is { } type && obj["metadata"]?["deletionTimestamp"] is null)
            {
                writer.Delete(type, obj, Background);
            }
        }
        if (left == 0)
        {
            writer.Store.Delete("/namespaces", "", ns.Name());
        }
    }

    private void Orphan(JsonObject owner)
    {
        foreach (var (key, dep) in Dependents(owner.Uid()))
        {
            var next = (JsonObject)dep.DeepClone();
            var refs = (JsonArray)next["metadata"]!["ownerReferences"]!;
            foreach (var r in refs.Where(r => r?["uid"]?.GetValue<string>() == owner.Uid()).ToList())
            {
                refs.Remove(r);
            }
            if (refs.Count == 0)
            {
                next.Meta().Remove("ownerReferences");
            }
            writer.Update(registry.FindStorage(key)!, dep, next, new WriteContext("kube-controller-manager"));
        }
    }

    private int DeleteDependents(string uid)
    {
        var dependents = Dependents(uid);
        foreach (var (key, dep) in dependents.Where(d => d.Object["metadata"]?["deletionTimestamp"] is null))
        {
            writer.Delete(registry.FindStorage(key)!, dep, Background);
        }
        return Dependents(uid).Count;
    }

    private List<(string StorageKey, JsonObject Object)> Dependents(string uid) =>
        [.. writer.Store.All().Where(x => registry.FindStorage(x.StorageKey) is not null && OwnerUids(x.Object).Contains(uid))];

    private static List<string> OwnerUids(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"] is JsonArray refs ? [.. refs.Select(r => r?["uid"]?.GetValue<string>() ?? "")] : [];
}
