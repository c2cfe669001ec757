using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using KubeCache.Hosting;

return await ServerProgram.RunAsync("kvcache-node", args, NodeOptionTable.Table, options =>
{
    // The entries live on the GC heap: its hard limit comes from the container's limit before the
    // store fills (in-process test nodes share the test host's heap and skip this).
    options.Sizing?.ApplyToRuntime();
    return CacheNodeServer.Create(options);
});
