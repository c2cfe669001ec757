using KubeCache.Hosting;
using KubeCache.Local;
using KubeCache.Router.Hosting;

return await ServerProgram.RunAsync("kvcache-local", args, LocalOptionTable.Table, options =>
{
    RouterServer router = LocalMode.Create(options);
    router.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
    {
        LocalCluster cluster = router.Services.GetRequiredService<LocalCluster>();
        string resp = options.RespPort > 0 ? $"{options.Bind}:{options.RespPort}" : "off";
        Console.Out.WriteLine(
            $"kvcache-local: {cluster.Nodes.Count} nodes started; HTTP http://{options.Bind}:{options.HttpPort}, RESP {resp}; " +
            $"admin API at /admin/nodes; ring and node logs in {cluster.Directory}");
    });
    return router;
});
