using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Storage;

/// <summary>
/// One change as watchers see it. <see cref="Object"/> and <see cref="Previous"/> are private
/// copies that nobody mutates, so any number of watch streams may read them at once.
/// </summary>
internal sealed record WatchEvent(string Type, string StorageKey, string Namespace, long ResourceVersion, JsonObject Object, JsonObject? Previous)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}
