using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using KubeCache.Configuration;

// Socket completions run on the epoll thread instead of being queued to the thread pool; with
// Kestrel's inline scheduling a request then costs no thread hop at all (+30-40% RESP requests/s
// at -P 1 in bench/resp-compare.sh). The runtime reads this once, before the first socket.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

if (args is ["--help"] or ["-h"])
{
    Console.Out.Write(NodeOptionTable.Help());
    return 0;
}

NodeOptions options;
try
{
    options = NodeOptionTable.Parse(args, Environment.GetEnvironmentVariables());
}
catch (OptionException e)
{
    Console.Error.WriteLine($"kvcache-node: {e.Message}");
    return 2;
}

// The entries live on the GC heap: its hard limit comes from the container's limit before the
// store fills (in-process test nodes share the test host's heap and skip this).
options.Sizing?.ApplyToRuntime();

CacheNodeServer node;
try
{
    // Loads the keys file and certificates, whose problems are reported like a bad flag.
    node = CacheNodeServer.Create(options);
}
catch (OptionException e)
{
    Console.Error.WriteLine($"kvcache-node: {e.Message}");
    return 2;
}

await using (node)
{
    await node.RunAsync();
}

return 0;
