using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Apply;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Schema;
using KubeCache.FakeApiServer.Storage;

namespace KubeCache.FakeApiServer.Writes;

/// <summary>
/// The apiserver's write strategy shared by every verb: identity and immutable metadata,
/// the status split, schema defaulting and validation, generation, managed fields, the
/// CRD and Namespace hooks, then the store write. Callers hold the store lock.
/// </summary>
internal sealed partial class ObjectWriter(ResourceStore store, ResourceRegistry registry, FakeApiServerOptions options, Auth.RbacAdmission? admission)
{
    private const string NameChars = "bcdfghjklmnpqrstvwxz2456789";

    public ResourceStore Store => store;

    public string Now() => JsonExtensions.Timestamp(options.TimeProvider.GetUtcNow());

    /// <summary>Creates <paramref name="obj"/> (already shaped by the caller) and returns the stored copy.</summary>
    public JsonObject Create(ResourceType type, string ns, JsonObject obj, WriteContext ctx)
    {
        lock (store.Sync)
        {
            obj["apiVersion"] = type.GroupVersion;
            obj["kind"] = type.Kind;
            var meta = obj.Meta();
            if (type.Namespaced)
            {
                meta["namespace"] = ns;
                CheckNamespace(type, ns, meta.Str("name") ?? meta.Str("generateName") ?? "");
            }
            else
            {
                meta.Remove("namespace");
            }
            if (meta.Str("resourceVersion") is { Length: > 0 })
            {
                throw ApiErrors.InternalError("resourceVersion should not be set on objects to be created");
            }
            AssignName(type, ns, meta);
            var name = meta.Str("name")!;
            if (store.Get(type.StorageKey, ns, name) is not null)
            {
                throw ApiErrors.AlreadyExists(type, name);
            }
            if (type.HasStatus && !IsKind(type, "", "Namespace"))
            {
                obj.Remove("status");
            }
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Now();
            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            meta.Remove("generation");
            if (type.HasGeneration)
            {
                meta["generation"] = 1L;
            }
            Prepare(type, obj, name, ctx);
            Admit(type, null, obj, ctx);
            BeforeCreateHook(type, obj);
            if (!ctx.IsApply)
            {
                ManagedFields.RecordUpdate(null, obj, Shape.Root(type), ctx.Manager, ctx.Subresource, type.GroupVersion, Now());
            }
            var stored = store.Create(type.StorageKey, obj);
            AfterWriteHook(type, stored);
            return stored;
        }
    }

    /// <summary>
    /// Replaces <paramref name="old"/> with <paramref name="updated"/> as seen through
    /// <paramref name="ctx"/>'s subresource; a write that changes nothing is not stored.
    /// </summary>
    public JsonObject Update(ResourceType type, JsonObject old, JsonObject updated, WriteContext ctx)
    {
        lock (store.Sync)
        {
            var next = ctx.Subresource == "status" ? StatusOnly(old, updated) : (JsonObject)updated.DeepClone();
            next["apiVersion"] = type.GroupVersion;
            next["kind"] = type.Kind;
            CopyImmutableMetadata(old, next);
            if (ctx.Subresource != "status" && type.HasStatus)
            {
                next.Remove("status");
                if (old["status"] is { } status)
                {
                    next["status"] = status.DeepClone();
                }
            }
            CheckFinalizers(type, old, next);
            Prepare(type, next, old.Name(), ctx);
            if (type.HasGeneration && SpecChanged(type, old, next))
            {
                next.Meta()["generation"] = old.Generation() + 1;
            }
            if (!ctx.IsApply)
            {
                ManagedFields.RecordUpdate(old, next, Shape.Root(type), ctx.Manager, ctx.Subresource, type.GroupVersion, Now());
            }
            if (JsonNode.DeepEquals(WithoutRv(old), WithoutRv(next)))
            {
                return (JsonObject)old.DeepClone();
            }
            if (next["metadata"]?["deletionTimestamp"] is not null && next.Finalizers().Count == 0)
            {
                return store.Delete(type.StorageKey, old.Namespace(), old.Name())!;
            }
            Admit(type, old, next, ctx);
            BeforeUpdateHook(type, next);
            var stored = store.Update(type.StorageKey, next);
            AfterWriteHook(type, stored);
            return stored;
        }
    }

    private static void Prepare(ResourceType type, JsonObject obj, string name, WriteContext ctx)
    {
        if (!type.IsCustom && type.Schema is null)
        {
            // Apply converts the body to the kind's typed schema before anything is validated.
            if (ctx.IsApply && BuiltInValidator.ShapeErrors(obj, type) is { Count: > 0 } shape)
            {
                throw ApiErrors.TypedPatchFailed(type, obj.Namespace(), name, shape);
            }

            if (BuiltInValidator.Validate(obj, type) is { Count: > 0 } invalid)
            {
                throw ApiErrors.Invalid(type, name, invalid);
            }
        }

        if (type.Schema is not null)
        {
            var pruned = SchemaDefaults.Apply(obj, type.Schema);
            if (ctx.Strict && pruned.Count > 0)
            {
                throw ApiErrors.UnknownFields(type, pruned, ctx.IsApply);
            }
            var errors = SchemaValidator.Validate(obj, type.Schema);
            if (errors.Count > 0)
            {
                throw ApiErrors.Invalid(type, name, errors);
            }
        }
    }

    private static JsonObject StatusOnly(JsonObject old, JsonObject updated)
    {
        var next = (JsonObject)old.DeepClone();
        next.Remove("status");
        if (updated["status"] is { } status)
        {
            next["status"] = status.DeepClone();
        }
        if (updated["metadata"]?["managedFields"] is { } managed)
        {
            next.Meta()["managedFields"] = managed.DeepClone();
        }
        return next;
    }

    private static void CopyImmutableMetadata(JsonObject old, JsonObject next)
    {
        var meta = next.Meta();
        foreach (var key in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion" })
        {
            meta.Remove(key);
            if (old["metadata"]?[key] is { } value)
            {
                meta[key] = value.DeepClone();
            }
        }
    }

    private static bool SpecChanged(ResourceType type, JsonObject old, JsonObject next)
    {
        static JsonObject Strip(JsonObject o, bool status)
        {
            var copy = (JsonObject)o.DeepClone();
            copy.Remove("metadata");
            if (status)
            {
                copy.Remove("status");
            }
            return copy;
        }
        return !JsonNode.DeepEquals(Strip(old, type.HasStatus), Strip(next, type.HasStatus));
    }

    private static JsonObject WithoutRv(JsonObject o)
    {
        var copy = (JsonObject)o.DeepClone();
        copy.Meta().Remove("resourceVersion");
        return copy;
    }

    private static bool IsKind(ResourceType type, string group, string kind) => type.Group == group && type.Kind == kind;
}
