using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Writes;

namespace KubeCache.FakeApiServer;

public sealed partial class FakeApiServer
{
    private const string TestManager = "fake-apiserver-test";

    /// <summary>
    /// Registers (creates, or replaces) a CustomResourceDefinition given as YAML or JSON, as
    /// <c>kubectl apply</c> would; its resources are served at once. Returns the served versions.
    /// </summary>
    public IReadOnlyList<ResourceType> RegisterCrd(string yamlOrJson) => RegisterCrd(YamlReader.ParseObject(yamlOrJson));

    /// <inheritdoc cref="RegisterCrd(string)"/>
    public IReadOnlyList<ResourceType> RegisterCrd(JsonObject crd)
    {
        var type = Resources.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
        lock (_store.Sync)
        {
            var existing = _store.Get(type.StorageKey, "", crd.Name());
            if (existing is null)
            {
                _writer.Create(type, "", (JsonObject)crd.DeepClone(), new WriteContext(TestManager));
            }
            else
            {
                _writer.Update(type, existing, (JsonObject)crd.DeepClone(), new WriteContext(TestManager));
            }
            return CrdRegistration.Parse(type, crd);
        }
    }

    /// <summary>A copy of the stored object, or null. <paramref name="group"/> is "" for core kinds.</summary>
    public JsonObject? Get(string group, string plural, string? ns, string name) =>
        _store.Get($"{group}/{plural}", ns ?? "", name)?.DeepClone() as JsonObject;

    /// <summary>Copies of the stored objects of one kind, in one namespace or (null) all.</summary>
    public IReadOnlyList<JsonObject> List(string group, string plural, string? ns = null) =>
        [.. _store.List($"{group}/{plural}", ns).Select(o => (JsonObject)o.DeepClone())];

    /// <summary>Creates an object as a POST would (apiVersion and kind pick the resource) and returns it.</summary>
    public JsonObject Create(JsonObject obj)
    {
        var type = TypeOf(obj);
        return _writer.Create(type, type.Namespaced ? obj.Namespace() : "", (JsonObject)obj.DeepClone(), new WriteContext(TestManager));
    }

    /// <summary>The objects of a multi-document YAML stream (rendered manifests), in order; empty documents skipped.</summary>
    public static List<JsonObject> ParseManifests(string yaml) => YamlReader.ParseAll(yaml);

    /// <summary>
    /// Replaces an object as a PUT without a resourceVersion would; through
    /// <paramref name="subresource"/> "status" only its status changes (how tests play a kubelet or controller).
    /// </summary>
    public JsonObject Update(JsonObject obj, string subresource = "")
    {
        var type = TypeOf(obj);
        lock (_store.Sync)
        {
            var current = _store.Get(type.StorageKey, type.Namespaced ? obj.Namespace() : "", obj.Name()) ?? throw ApiErrors.NotFound(type, obj.Name());
            return _writer.Update(type, current, obj, new WriteContext(TestManager, subresource));
        }
    }

    /// <summary>Deletes an object as a DELETE would (finalizers respected); returns false when it did not exist.</summary>
    public bool Delete(string group, string plural, string? ns, string name)
    {
        lock (_store.Sync)
        {
            var current = _store.Get($"{group}/{plural}", ns ?? "", name);
            if (current is null || Resources.FindStorage($"{group}/{plural}") is not { } type)
            {
                return false;
            }
            _writer.Delete(type, current, new DeleteRequest(null, null, null));
            return true;
        }
    }

    /// <summary>
    /// Waits until the object exists and satisfies <paramref name="condition"/>, re-checking on
    /// every write; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public Task<JsonObject> WaitForAsync(string group, string plural, string? ns, string name, Func<JsonObject, bool> condition, TimeSpan timeout) =>
        WaitUntilAsync(() => Get(group, plural, ns, name) is { } o && condition(o) ? o : null, timeout, $"{group}/{plural} {ns}/{name}");

    /// <summary>Waits until <paramref name="check"/> returns non-null, re-checking on every write.</summary>
    public async Task<T> WaitUntilAsync<T>(Func<T?> check, TimeSpan timeout, string? what = null)
        where T : class
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var changed = _store.Changed;
            if (check() is { } result)
            {
                return result;
            }
            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"condition on {what ?? "the fake API server"} not met within {timeout}");
            }
        }
    }

    private ResourceType TypeOf(JsonObject obj)
    {
        var apiVersion = obj.Str("apiVersion") ?? throw new ArgumentException("the object has no apiVersion", nameof(obj));
        var kind = obj.Str("kind") ?? throw new ArgumentException("the object has no kind", nameof(obj));
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return Resources.FindByKind(group, version, kind) ?? throw new ArgumentException($"no resource serves {apiVersion} {kind}", nameof(obj));
    }
}
