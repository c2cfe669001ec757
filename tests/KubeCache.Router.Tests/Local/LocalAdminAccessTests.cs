using System.Net;
using KubeCache.Router.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.Router.Tests.Local;

/// <summary>Local mode's admin API starts processes: only loopback clients get it unless --local-admin-remote is set.</summary>
public class LocalAdminAccessTests
{
    private static readonly IPAddress OtherHost = IPAddress.Parse("192.0.2.10");

    [Fact]
    public async Task AddNode_FromAnotherHost_IsForbiddenAndStartsNothing()
    {
        await using LocalRouter router = await LocalRouter.StartAsync(1);

        (int status, string body) = await CallAsync(router, "POST", OtherHost);

        Assert.Equal(StatusCodes.Status403Forbidden, status);
        Assert.Contains("--local-admin-remote", body, StringComparison.Ordinal);
        Assert.Single(router.Cluster.Nodes);
        using HttpResponseMessage fromLoopback = await router.Http.GetAsync(new Uri("/admin/nodes", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, fromLoopback.StatusCode);
    }

    [Fact]
    public async Task ListNodes_FromAnotherHostWithRemoteAdminAllowed_IsServed()
    {
        await using LocalRouter router = await LocalRouter.StartAsync(1, configure: o => o.LocalAdminRemote = true);

        (int status, _) = await CallAsync(router, "GET", OtherHost);

        Assert.Equal(StatusCodes.Status200OK, status);
    }

    /// <summary>Runs the router's dispatch table on a request that came from <paramref name="remote"/> (a loopback-only test network cannot send one).</summary>
    private static async Task<(int Status, string Body)> CallAsync(LocalRouter router, string method, IPAddress remote)
    {
        RouterHttpApi api = router.Server.Services.GetRequiredService<RouterHttpApi>();
        var context = new DefaultHttpContext { RequestServices = router.Server.Services };
        context.Request.Method = method;
        context.Request.Path = "/admin/nodes";
        context.Connection.RemoteIpAddress = remote;
        using var body = new MemoryStream();
        context.Response.Body = body;

        await api.HandleAsync(context);
        await context.Response.BodyWriter.FlushAsync();
        return (context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }
}
