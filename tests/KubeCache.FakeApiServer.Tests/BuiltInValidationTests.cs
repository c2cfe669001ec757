using System.Net;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

/// <summary>
/// Built-in kinds are validated against KubernetesClient's models (field set and JSON types)
/// and the apiserver's name and label rules, so a wrong body fails here as on a cluster.
/// </summary>
public sealed class BuiltInValidationTests
{
    private const string Services = "/api/v1/namespaces/default/services";
    private const string StatefulSets = "/apis/apps/v1/namespaces/default/statefulsets";

    private static string Service(string name, string spec = """{"ports":[{"port":80}]}""") =>
        $$$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}"},"spec":{{{spec}}}}""";

    [Fact]
    public async Task Create_UnknownField_Returns422NamingIt()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var reply = await client.PostAsync(Services, Service("web", """{"ports":[{"port":80,"targetPortt":8080}]}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Contains("spec.ports[0].targetPortt: field not declared in schema", reply.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_WrongType_Returns500TypedPatchFailureAsTheApiserver()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var reply = await client.PatchAsync(StatefulSets + "/db?fieldManager=op",
            """{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"replicas":"three"}}""", ApiClient.Apply);

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal("failed to create typed patch object (default/db; apps/v1, Kind=StatefulSet): .spec.replicas: expected numeric (int or float), got string",
            reply.Str("message"));
        Assert.Null(reply.Str("reason"));
        Assert.Null(server.Get("apps", "statefulsets", "default", "db"));
    }

    [Theory]
    [InlineData("1web")]
    [InlineData("web.example")]
    [InlineData("Web")]
    public async Task Create_ServiceNameNotDns1035_Returns422(string name)
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var reply = await client.PostAsync(Services, Service(name));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Contains("a DNS-1035 label", reply.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_LabelValueOver63Characters_Returns422()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        string value = new('a', 64);

        var reply = await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a", labels: $$$"""{"x":"{{{value}}}"}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Contains("must be no more than 63 characters", reply.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ValidServiceWithIntOrStringTargetPort_IsCreated()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var reply = await client.PostAsync(Services, Service("web", """{"ports":[{"port":80,"targetPort":"http","protocol":"TCP"}],"selector":{"a":"b"}}"""));

        Assert.Equal(HttpStatusCode.Created, reply.Status);
    }
}
