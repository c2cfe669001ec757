using KubeCache.Hosting;
using KubeCache.Router.Hosting;
using KubeCache.Router.Options;

return await ServerProgram.RunAsync("kvcache-router", args, RouterOptionTable.Table, options => RouterServer.Create(options));
