namespace KubeCache.Kubernetes.Models;

/// <summary>The kinds of watch event a caller sees. ERROR events are raised as exceptions instead.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>Carries only <c>metadata.resourceVersion</c>: progress, not a change.</summary>
    Bookmark,
}

/// <summary>One event of a watch stream: <c>{"type":"ADDED","object":{...}}</c>.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object);
