using System.Text;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Storage;
using KubeCache.FakeApiServer.Table;
using KubeCache.FakeApiServer.Watch;
using KubeCache.FakeApiServer.Writes;
using Microsoft.AspNetCore.Http;

namespace KubeCache.FakeApiServer.Http;

/// <summary>The verbs on resources: get, list, watch, create, update, patch, delete, and the scale and eviction subresources.</summary>
internal sealed partial class ResourceHandlers(
    ObjectWriter writer, ContinueTokens tokens, WatchHandler watch, TableConverter tables, Auth.AccessControl access, Disruption.Evictions evictions)
{
    private ResourceStore Store => writer.Store;

    public Task HandleAsync(ApiRequest r, bool watchPath)
    {
        var m = r.Method;
        if (r.Name is null)
        {
            return m switch
            {
                _ when HttpMethods.IsGet(m) && (watchPath || r.Flag("watch")) => watch.ServeAsync(r, null),
                _ when HttpMethods.IsGet(m) => ListAsync(r),
                _ when HttpMethods.IsPost(m) => CreateAsync(r),
                _ when HttpMethods.IsDelete(m) => DeleteCollectionAsync(r),
                _ => throw ApiErrors.MethodNotAllowed(),
            };
        }
        if (r.Subresource == "scale")
        {
            return ScaleAsync(r);
        }
        if (r.Subresource == "eviction")
        {
            return HttpMethods.IsPost(m) ? EvictAsync(r) : throw ApiErrors.MethodNotAllowed();
        }
        return m switch
        {
            _ when HttpMethods.IsGet(m) && watchPath => watch.ServeAsync(r, r.Name),
            _ when HttpMethods.IsGet(m) => GetAsync(r),
            _ when HttpMethods.IsPut(m) => ReplaceAsync(r),
            _ when HttpMethods.IsPatch(m) => PatchAsync(r),
            _ when HttpMethods.IsDelete(m) && r.Subresource.Length == 0 => DeleteAsync(r),
            _ => throw ApiErrors.MethodNotAllowed(),
        };
    }

    private Task GetAsync(ApiRequest r)
    {
        var obj = Store.Get(r.Type.StorageKey, r.StorageNamespace, r.Name!) ?? throw ApiErrors.NotFound(r.Type, r.Name!);
        var shown = Present(r.Type, obj);
        return WantsTable(r)
            ? Responses.WriteAsync(r.Context, 200, tables.Convert(r.Type, [shown], shown.ResourceVersion(), IncludeObject(r)), TableConverter.ContentType)
            : Responses.WriteAsync(r.Context, 200, shown);
    }

    /// <summary>The object as served through <paramref name="type"/>'s version.</summary>
    internal static JsonObject Present(ResourceType type, JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = type.GroupVersion;
        return copy;
    }

    private static bool WantsTable(ApiRequest r) =>
        r.Context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static bool IsStrict(ApiRequest r) => r.QueryValue("fieldValidation") == "Strict";

    private static string IncludeObject(ApiRequest r) => r.QueryValue("includeObject") ?? "Metadata";

    /// <summary>The field manager: the query's, else the User-Agent up to its first slash (as the apiserver does).</summary>
    private static string Manager(ApiRequest r)
    {
        if (r.QueryValue("fieldManager") is { Length: > 0 } m)
        {
            return m;
        }
        var agent = r.Context.Request.Headers.UserAgent.ToString();
        var slash = agent.IndexOf('/', StringComparison.Ordinal);
        return agent.Length == 0 ? "unknown" : slash > 0 ? agent[..slash] : agent;
    }

    private static async Task<JsonObject> ReadObjectAsync(ApiRequest r)
    {
        var body = await Responses.ReadBodyAsync(r.Context).ConfigureAwait(false);
        var type = r.Context.Request.ContentType ?? "application/json";
        return type.Contains("yaml", StringComparison.OrdinalIgnoreCase)
            ? YamlReader.ParseObject(Encoding.UTF8.GetString(body))
            : JsonExtensions.ParseObject(body);
    }

    /// <summary>The body's kind and apiVersion must name this resource (a real server would fail to decode otherwise).</summary>
    private static void CheckKind(ApiRequest r, JsonObject obj)
    {
        if (obj.Str("apiVersion") is { } av && av != r.Type.GroupVersion && !(r.Subresource == "scale" && av == "autoscaling/v1"))
        {
            throw ApiErrors.BadRequest($"the API version in the data ({av}) does not match the expected API version ({r.Type.GroupVersion})");
        }
        if (obj.Str("kind") is { } kind && kind != r.Type.Kind && r.Subresource != "scale")
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({r.Type.Kind})");
        }
        if (r.Type.Namespaced && obj.Str("metadata", "namespace") is { Length: > 0 } ns && ns != r.Namespace)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }
}
