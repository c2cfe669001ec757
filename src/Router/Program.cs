using KubeCache.Configuration;
using KubeCache.Router.Hosting;
using KubeCache.Router.Local;
using KubeCache.Router.Options;

// As on a node: socket completions run on the epoll thread, so a forwarded request costs no
// thread hop. The runtime reads this once, before the first socket.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

if (args is ["--help"] or ["-h"])
{
    Console.Out.Write(RouterOptionTable.Table.Help());
    return 0;
}

RouterOptions options;
try
{
    options = RouterOptionTable.Parse(args, Environment.GetEnvironmentVariables());
}
catch (OptionException e)
{
    Console.Error.WriteLine($"kvcache-router: {e.Message}");
    return 2;
}

RouterServer router;
try
{
    // Loads the keys file, certificates and Kubernetes configuration, whose problems are reported like a bad flag.
    router = RouterServer.Create(options, configureServices: options.LocalNodes > 0 ? LocalMode.AddServices : null);
}
catch (OptionException e)
{
    Console.Error.WriteLine($"kvcache-router: {e.Message}");
    return 2;
}

await using var running = router;
if (options.LocalNodes > 0)
{
    router.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
    {
        LocalCluster cluster = router.Services.GetRequiredService<LocalCluster>();
        string resp = options.RespPort > 0 ? $"{options.Bind}:{options.RespPort}" : "off";
        Console.Out.WriteLine(
            $"kvcache-router: local mode with {cluster.Nodes.Count} nodes started; HTTP http://{options.Bind}:{options.HttpPort}, RESP {resp}; " +
            $"admin API at /admin/nodes; ring and node logs in {cluster.Directory}");
    });
}

await router.RunAsync();
return 0;
