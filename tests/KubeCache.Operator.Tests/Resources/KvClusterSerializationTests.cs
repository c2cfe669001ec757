using k8s;
using KubeCache.Operator.Resources;
using KubeCache.Operator.Tests.Support;

namespace KubeCache.Operator.Tests.Resources;

public class KvClusterSerializationTests
{
    [Fact]
    public void Deserialize_ApiServerJson_ReadsSpecAndStatus()
    {
        const string json = """
            {"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster",
             "metadata":{"name":"demo","namespace":"ns","uid":"u1","generation":4},
             "spec":{"replicas":5,"maxMemory":"512mb","missStatus":200,
                     "resources":{"limits":{"cpu":1,"memory":"1Gi"}},
                     "router":{"serviceType":"NodePort"},
                     "podDisruptionBudget":{"maxUnavailable":"25%"},
                     "tolerations":[{"key":"k","operator":"Exists"}],
                     "futureField":true},
             "status":{"replicas":5,"readyReplicas":4,"ringEpoch":9,"phase":"Rebalancing","members":["demo-0"],
                       "conditions":[{"type":"Ready","status":"False","lastTransitionTime":"2026-01-02T03:04:05Z","reason":"NodesStarting","message":"1 of 5 starting"}],
                       "observedGeneration":4}}
            """;

        KvCluster cluster = KubernetesJson.Deserialize<KvCluster>(json);

        Assert.Equal(5, cluster.Spec.Replicas);
        Assert.Equal("512mb", cluster.Spec.MaxMemory);
        Assert.Equal(200, cluster.Spec.MissStatus);
        Assert.Equal("1", cluster.Spec.Resources!.Limits!["cpu"].Value);
        Assert.Equal("1Gi", cluster.Spec.Resources.Limits["memory"].Value);
        Assert.Equal("NodePort", cluster.Spec.Router!.ServiceType);
        Assert.Equal("25%", cluster.Spec.PodDisruptionBudget!.MaxUnavailable!.Value);
        Assert.Equal("Exists", cluster.Spec.Tolerations![0].OperatorProperty);
        Assert.Equal(KvClusterPhase.Rebalancing, cluster.Status!.Phase);
        Assert.Equal(9, cluster.Status.RingEpoch);
        Condition condition = Assert.Single(cluster.Status.Conditions!);
        Assert.Equal(("Ready", "False", "NodesStarting"), (condition.Type, condition.Status, condition.Reason));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), condition.LastTransitionTime);
    }

    [Fact]
    public void Serialize_StatusOnly_OmitsUnsetFields()
    {
        var cluster = new KvCluster
        {
            Metadata = new() { Name = "demo", NamespaceProperty = "ns" },
            Status = new KvClusterStatus { Replicas = 3, Phase = KvClusterPhase.Ready },
        };

        var json = TestClusters.Json(cluster);

        Assert.Equal("kubecache.io/v1alpha1", (string?)json["apiVersion"]);
        Assert.Equal("KvCluster", (string?)json["kind"]);
        Assert.Empty(json["spec"]!.AsObject());
        Assert.Equal(2, json["status"]!.AsObject().Count);
    }
}
