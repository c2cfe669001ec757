using KubeCache.Chart.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace KubeCache.Chart.Tests;

public sealed class NetworkPolicyTests
{
    private static readonly Dictionary<string, string> RouterPods = new()
    {
        ["app.kubernetes.io/name"] = "kvcache",
        ["app.kubernetes.io/component"] = "router",
    };

    private static readonly Dictionary<string, string> NodePods = new()
    {
        ["app.kubernetes.io/name"] = "kvcache",
        ["app.kubernetes.io/component"] = "node",
    };

    [Fact]
    public void Template_Defaults_NodesAdmitOnlyRoutersNodesAndTheOperatorOnCachePorts()
    {
        Manifests manifests = DefaultRender.Manifests;
        Manifest policy = manifests.Get("NetworkPolicy", "kvcache-nodes");
        var operatorPods = manifests.Get("Deployment", "kvcache-operator").Root.Map("spec", "template", "metadata", "labels");
        var rule = policy.Root.Items("spec", "ingress").Single();
        var peers = rule.Items("from");

        Assert.Equal(NodePods, policy.Root.Map("spec", "podSelector", "matchLabels"));
        Assert.Equal(["Ingress"], policy.Root.Strings("spec", "policyTypes"));
        Assert.Equal(3, peers.Count);
        Assert.All(peers, p => Assert.Equal(["podSelector"], p.Keys()));
        Assert.Contains(peers, p => Same(RouterPods, p.Map("podSelector", "matchLabels")));
        Assert.Contains(peers, p => Same(NodePods, p.Map("podSelector", "matchLabels")));
        var operatorPeer = peers.Single(p => p.Map("podSelector", "matchLabels").GetValueOrDefault("app.kubernetes.io/component") == "operator");
        Assert.All(operatorPeer.Map("podSelector", "matchLabels"), l => Assert.Equal(l.Value, operatorPods.GetValueOrDefault(l.Key)));
        Assert.Equal([6379, 6380, 7171, 7443], Ports(rule));
    }

    [Fact]
    public void Template_Defaults_RoutersAdmitTheWholeNamespace()
    {
        Manifest policy = DefaultRender.Manifests.Get("NetworkPolicy", "kvcache-routers");
        var rule = policy.Root.Items("spec", "ingress").Single();

        Assert.Equal(RouterPods, policy.Root.Map("spec", "podSelector", "matchLabels"));
        var peer = rule.Items("from").Single();
        Assert.Equal(["podSelector"], peer.Keys());
        Assert.Empty(peer.Keys("podSelector"));
        Assert.Equal([6379, 6380, 7171, 7443], Ports(rule));
    }

    [Fact]
    public void Template_Defaults_OperatorAdmitsTheNamespaceOnItsMetricsPortOnly()
    {
        Manifests manifests = DefaultRender.Manifests;
        Manifest policy = manifests.Get("NetworkPolicy", "kvcache-operator");

        Assert.Equal(
            manifests.Get("Deployment", "kvcache-operator").Root.Map("spec", "selector", "matchLabels"),
            policy.Root.Map("spec", "podSelector", "matchLabels"));
        Assert.Equal([8080], Ports(policy.Root.Items("spec", "ingress").Single()));
    }

    [Fact]
    public void Template_RouterFromAndMetricsFrom_ReplaceAndAddPeers()
    {
        Manifests manifests = Helm.Template(
            "networkPolicy.routerFrom[0].ipBlock.cidr=203.0.113.0/24",
            "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name=monitoring").Manifests();
        var routerRules = manifests.Get("NetworkPolicy", "kvcache-routers").Root.Items("spec", "ingress");
        var nodeRules = manifests.Get("NetworkPolicy", "kvcache-nodes").Root.Items("spec", "ingress");

        Assert.Equal("203.0.113.0/24", routerRules[0].Items("from").Single().Str("ipBlock", "cidr"));
        Assert.Equal(2, routerRules.Count);
        Assert.Equal(2, nodeRules.Count);
        Assert.All([routerRules[1], nodeRules[1]], rule =>
        {
            Assert.Equal("monitoring", rule.Items("from").Single().Str("namespaceSelector", "matchLabels", "name"));
            Assert.Equal([7171], Ports(rule));
        });
    }

    [Fact]
    public void Template_NetworkPolicyDisabled_RendersNone()
    {
        Assert.Empty(Helm.Template("networkPolicy.enabled=false").Manifests().OfKind("NetworkPolicy"));
    }

    private static bool Same(Dictionary<string, string> expected, IReadOnlyDictionary<string, string> actual) =>
        expected.Count == actual.Count && expected.All(e => actual.GetValueOrDefault(e.Key) == e.Value);

    private static long[] Ports(YamlNode rule) => rule.Items("ports").Select(p => p.Long("port")!.Value).Order().ToArray();
}
