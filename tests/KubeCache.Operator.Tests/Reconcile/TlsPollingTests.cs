using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KubeCache.Operator.Tests.Support;
using KubeCache.Testing;

namespace KubeCache.Operator.Tests.Reconcile;

/// <summary>
/// With spec.tls the operator asks nodes for handoff progress over HTTPS, verifying each node's
/// certificate against the TLS Secret's ca.crt, so the API key it sends never crosses the network
/// in clear or reaches a node it cannot verify.
/// </summary>
[Collection(OperatorCollection.Name)]
public class TlsPollingTests
{
    private static readonly string[] NodeNames = ["*.demo-nodes.ns.svc.cluster.local", "demo.ns.svc"];

    /// <summary>Regression: the operator polled /cluster/handoff on the plain port with the key in the header although spec.tls was set.</summary>
    [Fact]
    public async Task Reconcile_TlsAndAuth_AsksNodesOverHttpsOnly()
    {
        var pki = new TestPki();
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 17);
        // The wildcard certificate one cert-manager Certificate for the headless Service gives every pod; no IP SAN.
        harness.Kubelet.TlsCertificate = pki.Issue("nodes", dnsNames: NodeNames, addresses: []).Certificate;
        CreateSecrets(harness, File.ReadAllText(pki.CaFile));
        await harness.StartOperatorAsync();
        harness.CreateCluster(2, SecureSpec());
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready");

        harness.Scale(3);
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready" && c["status"]?["members"]?.AsArray().Count == 3);

        Assert.Contains("Bearer secret-one", harness.Kubelet.Authorizations);
        Assert.Empty(harness.Kubelet.PlainRequests);
    }

    [Fact]
    public async Task Reconcile_NodeCertificateFromAnotherCa_NeverSendsTheKeyAndTheHandoffTimesOut()
    {
        var pki = new TestPki();
        var impostor = new TestPki("Impostor CA");
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 18);
        harness.Kubelet.TlsCertificate = impostor.Issue("nodes", dnsNames: NodeNames, addresses: [IPAddress.Parse("127.77.18.1"), IPAddress.Parse("127.77.18.2")]).Certificate;
        CreateSecrets(harness, File.ReadAllText(pki.CaFile));
        await harness.StartOperatorAsync(handoffDeadline: TimeSpan.FromSeconds(2));
        harness.CreateCluster(1, SecureSpec());
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready");

        harness.Scale(2);
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Degraded");

        Assert.Empty(harness.Kubelet.Authorizations);
        Assert.Empty(harness.Kubelet.PlainRequests);
    }

    [Fact]
    public async Task Reconcile_TlsSecretWithoutCa_ReadyFalseNamingCaCrt()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 19);
        CreateSecrets(harness, ca: null);
        await harness.StartOperatorAsync();
        harness.CreateCluster(1, SecureSpec());

        JsonObject cluster = await harness.WaitForClusterAsync(c => OperatorHarness.Condition(c, "Ready") == "False"
            && c["status"]?["conditions"]?.ToJsonString().Contains("ReconcileFailed", StringComparison.Ordinal) == true);

        Assert.Contains("ca.crt", cluster["status"]!["conditions"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(harness.Kubelet.Authorizations);
    }

    private static JsonObject SecureSpec() => new()
    {
        ["auth"] = new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "keys" } },
        ["tls"] = new JsonObject { ["secretName"] = "tls" },
    };

    private static void CreateSecrets(OperatorHarness harness, string? ca)
    {
        harness.Server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "keys", ["namespace"] = "ns" },
            ["data"] = new JsonObject { ["keys"] = Base64("secret-one\n") },
        });
        var data = new JsonObject { ["tls.crt"] = Base64("unused"), ["tls.key"] = Base64("unused") };
        if (ca is not null)
        {
            data["ca.crt"] = Base64(ca);
        }

        harness.Server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "tls", ["namespace"] = "ns" },
            ["data"] = data,
        });
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
