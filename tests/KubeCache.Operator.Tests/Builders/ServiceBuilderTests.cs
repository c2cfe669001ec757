using System.Text.Json.Nodes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;
using static KubeCache.Operator.Tests.Support.TestClusters;

namespace KubeCache.Operator.Tests.Builders;

public class ServiceBuilderTests
{
    [Fact]
    public void BuildNodes_Demo_HeadlessAndPublishesNotReady()
    {
        JsonObject service = Json(ServiceBuilder.BuildNodes(Demo()));

        Assert.Equal("v1", (string?)service["apiVersion"]);
        Assert.Equal("Service", (string?)service["kind"]);
        Assert.Equal("demo-nodes", (string?)At(service, "metadata.name"));
        Assert.Equal("None", (string?)At(service, "spec.clusterIP"));
        Assert.True((bool?)At(service, "spec.publishNotReadyAddresses"));
        Assert.Equal("node", (string?)At(service, "spec.selector")!["app.kubernetes.io/component"]);
        Assert.Null(At(service, "spec.type"));
    }

    [Fact]
    public void BuildRouter_EmptySpec_ClusterIPWithHttpAndRespPorts()
    {
        JsonObject service = Json(ServiceBuilder.BuildRouter(Demo()));

        Assert.Equal("demo", (string?)At(service, "metadata.name"));
        Assert.Equal("ClusterIP", (string?)At(service, "spec.type"));
        Assert.Null(At(service, "spec.clusterIP"));
        Assert.Equal("router", (string?)At(service, "spec.selector")!["app.kubernetes.io/component"]);
        JsonArray ports = At(service, "spec.ports")!.AsArray();
        Assert.Equal(2, ports.Count);
        Assert.Equal(("http", 7171, "http"), ((string)ports[0]!["name"]!, (int)ports[0]!["port"]!, (string)ports[0]!["targetPort"]!));
        Assert.Equal(("resp", 6379, "resp"), ((string)ports[1]!["name"]!, (int)ports[1]!["port"]!, (string)ports[1]!["targetPort"]!));
    }

    [Fact]
    public void BuildRouter_ServiceTypeSet_UsesIt()
    {
        JsonObject service = Json(ServiceBuilder.BuildRouter(Demo(s => s.Router = new RouterSpec { ServiceType = "LoadBalancer" })));

        Assert.Equal("LoadBalancer", (string?)At(service, "spec.type"));
    }

    [Fact]
    public void BuildRouter_ServiceAnnotationsSet_OnTheService()
    {
        JsonObject service = Json(ServiceBuilder.BuildRouter(Demo(s => s.Router = new RouterSpec
        {
            ServiceType = "LoadBalancer",
            ServiceAnnotations = new() { ["service.beta.kubernetes.io/aws-load-balancer-internal"] = "true" },
        })));

        Assert.Equal("true", (string?)At(service, "metadata.annotations")!["service.beta.kubernetes.io/aws-load-balancer-internal"]);
    }

    /// <summary>Regression: with spec.tls the routers listened on 6380 but their Service did not expose it, so clients could not reach TLS.</summary>
    [Fact]
    public void BuildRouterAndNodes_TlsSet_ExposeTheTlsPorts()
    {
        KvCluster cluster = Demo(s => s.Tls = new TlsSpec { SecretName = "cache-tls" });

        foreach (JsonObject service in new[] { Json(ServiceBuilder.BuildRouter(cluster)), Json(ServiceBuilder.BuildNodes(cluster)) })
        {
            JsonNode port = At(service, "spec.ports")!.AsArray().Single(p => (string?)p!["name"] == "resp-tls")!;
            Assert.Equal((6380, "resp-tls"), ((int)port["port"]!, (string)port["targetPort"]!));
            JsonNode https = At(service, "spec.ports")!.AsArray().Single(p => (string?)p!["name"] == "https")!;
            Assert.Equal((7443, "https"), ((int)https["port"]!, (string)https["targetPort"]!));
        }
    }
}
