using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;

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

await using CacheNodeServer node = CacheNodeServer.Create(options);
await node.RunAsync();
return 0;
