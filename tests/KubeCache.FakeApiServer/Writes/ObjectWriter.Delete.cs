using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;

namespace KubeCache.FakeApiServer.Writes;

/// <summary>What a DELETE asks for (from DeleteOptions and the query).</summary>
internal sealed record DeleteRequest(string? Propagation, string? Uid, string? ResourceVersion);

internal sealed partial class ObjectWriter
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    /// <summary>
    /// Deletes an object: checks preconditions; an object with finalizers (or a foreground or
    /// orphan delete, or a namespace) only gets its deletionTimestamp and is removed once its
    /// finalizers are gone. Returns the object as it is after the call.
    /// </summary>
    public JsonObject Delete(ResourceType type, JsonObject current, DeleteRequest request)
    {
        lock (store.Sync)
        {
            var name = current.Name();
            if (request.Uid is { } uid && uid != current.Uid())
            {
                throw ApiErrors.PreconditionFailed(type, name, "UID", uid, current.Uid());
            }
            if (request.ResourceVersion is { } rv && rv != current.ResourceVersion())
            {
                throw ApiErrors.PreconditionFailed(type, name, "ResourceVersion", rv, current.ResourceVersion());
            }
            var finalizers = current.Finalizers();
            var deleting = current["metadata"]?["deletionTimestamp"] is not null;
            if (options.GarbageCollection && !deleting)
            {
                if (request.Propagation == "Foreground" && !finalizers.Contains(ForegroundFinalizer))
                {
                    finalizers.Add(ForegroundFinalizer);
                }
                else if (request.Propagation == "Orphan" && !finalizers.Contains(OrphanFinalizer))
                {
                    finalizers.Add(OrphanFinalizer);
                }
            }
            var isNamespace = IsKind(type, "", "Namespace");
            if (finalizers.Count == 0 && !(isNamespace && options.GarbageCollection))
            {
                if (IsKind(type, "apiextensions.k8s.io", "CustomResourceDefinition"))
                {
                    RemoveCustomResources(current);
                }
                return store.Delete(type.StorageKey, current.Namespace(), name)!;
            }
            if (deleting)
            {
                return (JsonObject)current.DeepClone();
            }
            var next = (JsonObject)current.DeepClone();
            var meta = next.Meta();
            meta["deletionTimestamp"] = Now();
            meta["deletionGracePeriodSeconds"] = 0;
            meta["finalizers"] = finalizers.Count == 0 ? null : new JsonArray([.. finalizers.Select(f => JsonValue.Create(f))]);
            if (meta["finalizers"] is null)
            {
                meta.Remove("finalizers");
            }
            if (type.HasGeneration)
            {
                meta["generation"] = current.Generation() + 1;
            }
            if (isNamespace)
            {
                next["status"] = new JsonObject { ["phase"] = "Terminating" };
            }
            return store.Update(type.StorageKey, next);
        }
    }

    /// <summary>Removes one finalizer (used by the garbage collector) and deletes the object if it was the last.</summary>
    public void RemoveFinalizer(ResourceType type, JsonObject current, string finalizer)
    {
        lock (store.Sync)
        {
            var next = (JsonObject)current.DeepClone();
            var remaining = current.Finalizers().Where(f => f != finalizer).ToList();
            if (remaining.Count == 0)
            {
                next.Meta().Remove("finalizers");
            }
            else
            {
                next.Meta()["finalizers"] = new JsonArray([.. remaining.Select(f => JsonValue.Create(f))]);
            }
            Update(type, current, next, new WriteContext("kube-controller-manager"));
        }
    }

    private void RemoveCustomResources(JsonObject crd)
    {
        var group = crd.Str("spec", "group") ?? "";
        var plural = crd.Str("spec", "names", "plural") ?? "";
        foreach (var o in store.List($"{group}/{plural}", null))
        {
            store.Delete($"{group}/{plural}", o.Namespace(), o.Name());
        }
        registry.RemoveCrd(crd.Name());
    }
}
