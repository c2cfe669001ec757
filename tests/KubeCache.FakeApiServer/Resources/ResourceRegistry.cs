using System.Collections.Concurrent;

namespace KubeCache.FakeApiServer.Resources;

/// <summary>The served resources: built-ins from the start, custom resources as CRDs arrive.</summary>
public sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), ResourceType> _types = new();
    private readonly ConcurrentDictionary<string, string[]> _crdOwned = new(StringComparer.Ordinal);

    internal ResourceRegistry()
    {
        foreach (var type in BuiltInResources.All())
        {
            Add(type);
        }
    }

    /// <summary>Every served resource, in a stable order (group, version, plural).</summary>
    public IReadOnlyList<ResourceType> All =>
        [.. _types.Values.OrderBy(t => t.Group, StringComparer.Ordinal).ThenBy(t => t.Version, StringComparer.Ordinal).ThenBy(t => t.Plural, StringComparer.Ordinal)];

    public ResourceType? Find(string group, string version, string plural) =>
        _types.TryGetValue((group, version, plural), out var t) ? t : null;

    /// <summary>The storage version of a group and plural (where objects of every version live).</summary>
    public ResourceType? FindStorage(string storageKey) =>
        _types.Values.FirstOrDefault(t => t.StorageKey == storageKey && t.StorageVersion);

    /// <summary>Finds a resource by group and kind, whichever version is asked.</summary>
    public ResourceType? FindByKind(string group, string version, string kind) =>
        _types.Values.FirstOrDefault(t => t.Group == group && t.Version == version && t.Kind == kind);

    internal void Add(ResourceType type) => _types[(type.Group, type.Version, type.Plural)] = type;

    /// <summary>Replaces what a CRD (by name) serves with the given versions.</summary>
    internal void SetCrd(string crdName, IReadOnlyList<ResourceType> versions)
    {
        RemoveCrd(crdName);
        foreach (var t in versions)
        {
            Add(t);
        }
        _crdOwned[crdName] = [.. versions.Select(v => $"{v.Group}\n{v.Version}\n{v.Plural}")];
    }

    internal void RemoveCrd(string crdName)
    {
        if (_crdOwned.TryRemove(crdName, out var keys))
        {
            foreach (var key in keys)
            {
                var parts = key.Split('\n');
                _types.TryRemove((parts[0], parts[1], parts[2]), out _);
            }
        }
    }
}
