using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;

namespace KubeCache.FakeApiServer.Writes;

internal sealed partial class ObjectWriter
{
    private void CheckNamespace(ResourceType type, string ns, string name)
    {
        if (!options.RequireNamespaces || IsKind(type, "", "Namespace"))
        {
            return;
        }
        var nsObject = store.Get("/namespaces", "", ns) ?? throw ApiErrors.NamespaceNotFound(ns);
        if (nsObject["metadata"]?["deletionTimestamp"] is not null)
        {
            throw ApiErrors.NamespaceTerminating(type, name, ns);
        }
    }

    private void AssignName(ResourceType type, string ns, JsonObject meta)
    {
        if (meta.Str("name") is { Length: > 0 })
        {
            return;
        }
        var prefix = meta.Str("generateName");
        if (string.IsNullOrEmpty(prefix))
        {
            throw ApiErrors.Invalid(type, "", [FieldError.Required("metadata.name", "name or generateName is required")]);
        }
        string name;
        do
        {
            name = prefix + new string([.. Enumerable.Range(0, 5).Select(_ => NameChars[Random.Shared.Next(NameChars.Length)])]);
        }
        while (store.Get(type.StorageKey, ns, name) is not null);
        meta["name"] = name;
    }

    private static void CheckFinalizers(ResourceType type, JsonObject old, JsonObject next)
    {
        if (old["metadata"]?["deletionTimestamp"] is null)
        {
            return;
        }
        var before = old.Finalizers();
        if (next.Finalizers().Any(f => !before.Contains(f)))
        {
            throw ApiErrors.Invalid(type, old.Name(), [FieldError.Forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted")]);
        }
    }

    private void Admit(ResourceType type, JsonObject? old, JsonObject next, WriteContext ctx)
    {
        if (ctx.User is { } user)
        {
            admission?.Check(user, type, old, next);
        }
    }

    private void BeforeCreateHook(ResourceType type, JsonObject obj)
    {
        if (IsKind(type, "apiextensions.k8s.io", "CustomResourceDefinition"))
        {
            CrdRegistration.Parse(type, obj);
            obj["status"] = CrdRegistration.EstablishedStatus(obj, Now());
        }
        else if (IsKind(type, "", "Namespace"))
        {
            var spec = obj["spec"] as JsonObject ?? [];
            spec["finalizers"] = new JsonArray("kubernetes");
            obj["spec"] = spec;
            obj["status"] = new JsonObject { ["phase"] = "Active" };
            obj.Meta()["labels"] = MergeLabel(obj.Meta()["labels"] as JsonObject, "kubernetes.io/metadata.name", obj.Name());
        }
        else if (IsKind(type, "", "Pod"))
        {
            // As the pod strategy: a new pod is Pending until a kubelet reports on it.
            obj["status"] = new JsonObject { ["phase"] = "Pending" };
        }
    }

    private void BeforeUpdateHook(ResourceType type, JsonObject obj)
    {
        if (IsKind(type, "apiextensions.k8s.io", "CustomResourceDefinition"))
        {
            CrdRegistration.Parse(type, obj);
            if (obj["status"] is null)
            {
                obj["status"] = CrdRegistration.EstablishedStatus(obj, Now());
            }
        }
    }

    private void AfterWriteHook(ResourceType type, JsonObject stored)
    {
        if (IsKind(type, "apiextensions.k8s.io", "CustomResourceDefinition"))
        {
            registry.SetCrd(stored.Name(), CrdRegistration.Parse(type, stored));
        }
    }

    private static JsonObject MergeLabel(JsonObject? labels, string key, string value)
    {
        labels ??= [];
        labels[key] = value;
        return labels;
    }
}
