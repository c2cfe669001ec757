namespace KubeCache.Local;

/// <summary>A local node could not be started; the message says why and where its log is. Built only by the factories here.</summary>
public sealed class LocalNodeException : Exception
{
    private LocalNodeException(string message)
        : base(message)
    {
    }

    internal static LocalNodeException Exited(string node, int exitCode, string log) =>
        new($"node {node} exited with code {exitCode} while starting; see {log}");

    internal static LocalNodeException NotReady(string node, TimeSpan deadline, string log) =>
        new($"node {node} did not answer /readyz within {deadline.TotalSeconds:0} s; see {log}");

    internal static LocalNodeException NodeMissing(string path) =>
        new($"local mode needs {path}; build the router project (it copies the node next to itself) or run it with `dotnet run --project src/Router`");
}
