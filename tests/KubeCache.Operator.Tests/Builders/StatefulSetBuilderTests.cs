using System.Text.Json.Nodes;
using k8s.Models;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;
using static KubeCache.Operator.Tests.Support.TestClusters;

namespace KubeCache.Operator.Tests.Builders;

public class StatefulSetBuilderTests
{
    private static JsonObject Build(KvCluster cluster, int replicas = 3) =>
        Json(StatefulSetBuilder.Build(cluster, replicas, OperatorImages.Default));

    private static JsonNode Container(JsonObject sts) => At(sts, "spec.template.spec.containers[0]")!;

    [Fact]
    public void Build_Demo_NamesServiceAndSelectorPerDesign()
    {
        JsonObject sts = Build(Demo(), replicas: 5);

        Assert.Equal("apps/v1", (string?)sts["apiVersion"]);
        Assert.Equal("StatefulSet", (string?)sts["kind"]);
        Assert.Equal("demo", (string?)At(sts, "metadata.name"));
        Assert.Equal("ns", (string?)At(sts, "metadata.namespace"));
        Assert.Equal(5, (int?)At(sts, "spec.replicas"));
        Assert.Equal("demo-nodes", (string?)At(sts, "spec.serviceName"));
        Assert.Equal("Parallel", (string?)At(sts, "spec.podManagementPolicy"));
        JsonNode selector = At(sts, "spec.selector.matchLabels")!;
        Assert.Equal("kvcache", (string?)selector["app.kubernetes.io/name"]);
        Assert.Equal("demo", (string?)selector["app.kubernetes.io/instance"]);
        Assert.Equal("node", (string?)selector["app.kubernetes.io/component"]);
        Assert.Null(selector["app.kubernetes.io/managed-by"]);
        JsonNode podLabels = At(sts, "spec.template.metadata.labels")!;
        Assert.Equal("kvcache-operator", (string?)podLabels["app.kubernetes.io/managed-by"]);
        Assert.Equal("node", (string?)podLabels["app.kubernetes.io/component"]);
        Assert.Null(sts["status"]);
    }

    [Fact]
    public void Build_EmptySpec_UsesDefaultImageGraceAndOnlyTheGraceSplit()
    {
        JsonObject sts = Build(Demo());
        JsonNode container = Container(sts);

        Assert.Equal("node", (string?)container["name"]);
        Assert.Equal("ghcr.io/kubecache/kvcache-node:0.1.0", (string?)container["image"]);
        Assert.Equal(["--prestop-timeout", "110", "--shutdown-timeout", "10"], container["args"]!.AsArray().Select(a => (string)a!));
        Assert.Null(container["imagePullPolicy"]);
        Assert.Null(container["resources"]);
        Assert.Equal(120, (long?)At(sts, "spec.template.spec.terminationGracePeriodSeconds"));
        Assert.Equal("demo", (string?)At(sts, "spec.template.spec.serviceAccountName"));
        Assert.Null(At(sts, "spec.template.spec.tolerations"));
    }

    /// <summary>Regression: without spec.affinity every node could land on one host, and losing it lost the whole cache.</summary>
    [Fact]
    public void Build_NoPlacementGiven_PrefersOneNodePerHost()
    {
        JsonNode term = At(Build(Demo()), "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]")!;

        Assert.Equal(100, (int?)term["weight"]);
        Assert.Equal("kubernetes.io/hostname", (string?)At(term, "podAffinityTerm.topologyKey"));
        Assert.Equal("node", (string?)At(term, "podAffinityTerm.labelSelector.matchLabels")!["app.kubernetes.io/component"]);
        Assert.Equal("demo", (string?)At(term, "podAffinityTerm.labelSelector.matchLabels")!["app.kubernetes.io/instance"]);
    }

    [Fact]
    public void Build_TopologySpreadGiven_NoDefaultAffinity()
    {
        JsonObject sts = Build(Demo(s => s.TopologySpreadConstraints = [new V1TopologySpreadConstraint { MaxSkew = 1, TopologyKey = "zone", WhenUnsatisfiable = "DoNotSchedule" }]));

        Assert.Null(At(sts, "spec.template.spec.affinity"));
    }

    [Fact]
    public void Build_OverriddenImageFromOperator_UsesOperatorImage()
    {
        var images = new OperatorImages("registry.local/node:dev", "registry.local/router:dev");
        JsonObject sts = Json(StatefulSetBuilder.Build(Demo(), 3, images));

        Assert.Equal("registry.local/node:dev", (string?)Container(sts)["image"]);
    }

    [Fact]
    public void Build_SpecFieldsSet_PassesEachAsFlagAndOverridesImage()
    {
        JsonObject sts = Build(Demo(s =>
        {
            s.Image = "example/node:1";
            s.ImagePullPolicy = "Always";
            s.MaxMemory = "512mb";
            s.Shards = 16;
            s.MaxKeyBytes = 512;
            s.MaxValueBytes = 2048;
            s.DefaultTtl = 60;
            s.MissStatus = 200;
            s.TerminationGracePeriodSeconds = 300;
        }));
        JsonNode container = Container(sts);

        Assert.Equal("example/node:1", (string?)container["image"]);
        Assert.Equal("Always", (string?)container["imagePullPolicy"]);
        Assert.Equal(
            ["--max-memory", "512mb", "--prestop-timeout", "290", "--shutdown-timeout", "10", "--shards", "16", "--max-key-bytes", "512", "--max-value-bytes", "2048", "--default-ttl", "60", "--miss-status", "200"],
            container["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(300, (long?)At(sts, "spec.template.spec.terminationGracePeriodSeconds"));
    }

    /// <summary>
    /// The naming rule (README, Configuration): each node flag the operator passes from a spec
    /// field is that field's name in kebab case, with the field's value, so flag and KvCluster
    /// field are one name. The grace split is derived from terminationGracePeriodSeconds instead.
    /// </summary>
    [Fact]
    public void Args_EachFlagFromASpecField_IsThatFieldsName()
    {
        var spec = new KvClusterSpec
        {
            MaxMemory = "512mb",
            MemoryReserve = "32mb",
            Shards = 16,
            MaxKeyBytes = 512,
            MaxValueBytes = 2048,
            DefaultTtl = 60,
            MissStatus = 200,
        };
        JsonObject fields = System.Text.Json.JsonSerializer.SerializeToNode(spec)!.AsObject();
        List<string> args = StatefulSetBuilder.Args(spec);
        string[] derived = ["--prestop-timeout", "--shutdown-timeout"];

        for (int i = 0; i < args.Count; i += 2)
        {
            if (derived.Contains(args[i]))
            {
                continue;
            }

            string[] words = args[i][2..].Split('-');
            string field = words[0] + string.Concat(words[1..].Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            Assert.True(fields[field] is not null, $"{args[i]} has no spec field {field}");
            Assert.Equal(args[i + 1], fields[field]!.ToString());
        }

        Assert.Equal(7, (args.Count / 2) - derived.Length);
    }

    [Fact]
    public void Args_OnlyMissStatusSet_HasThatFlagBesideTheGraceSplit()
    {
        Assert.Equal(["--prestop-timeout", "110", "--shutdown-timeout", "10", "--miss-status", "404"], StatefulSetBuilder.Args(new KvClusterSpec { MissStatus = 404 }));
    }

    /// <summary>Regression: the node kept its 110 s preStop wait and 10 s shutdown whatever the grace period, so a 30 s one killed it mid-handoff.</summary>
    [Theory]
    [InlineData(30, "28", "2")]
    [InlineData(600, "590", "10")]
    [InlineData(1, "0", "1")]
    public void Args_TerminationGracePeriod_SplitIntoPrestopAndShutdownThatFitInsideIt(long grace, string prestop, string shutdown)
    {
        List<string> args = StatefulSetBuilder.Args(new KvClusterSpec { TerminationGracePeriodSeconds = grace });

        Assert.Equal(["--prestop-timeout", prestop, "--shutdown-timeout", shutdown], args);
    }

    /// <summary>Regression: without maxMemory the pod spec did not say what budget its memory limit gives.</summary>
    [Fact]
    public void Args_MemoryLimitWithoutMaxMemory_PassesTheBudgetTheNodeDerivesFromIt()
    {
        var spec = new KvClusterSpec { Resources = new ResourceRequirements { Limits = new() { ["memory"] = "4Gi" } } };

        // 70% of 4 GiB; the heap's share, (4 GiB - 64 MiB) * 7/8, is larger.
        Assert.Equal(["--max-memory", "3006477107"], StatefulSetBuilder.Args(spec).Take(2));
        Assert.Equal(new KubeCache.Configuration.MemorySizing(4L << 30, 64L << 20).DefaultBudget.ToString(System.Globalization.CultureInfo.InvariantCulture), StatefulSetBuilder.Args(spec)[1]);
    }

    /// <summary>A loop uses at most one core: a node given more CPUs gets a loop per CPU, the limit first, else the request.</summary>
    [Theory]
    [InlineData("2", null, "2")]
    [InlineData("1500m", null, "2")]
    [InlineData("250m", null, "1")]
    [InlineData(null, "4", "4")]
    [InlineData("3", "1", "3")]
    [InlineData("1000", null, "256")]
    public void Args_CpuGiven_OneEventLoopPerCpu(string? limit, string? request, string loops)
    {
        var resources = new ResourceRequirements
        {
            Limits = limit is null ? null : new() { ["cpu"] = limit },
            Requests = request is null ? null : new() { ["cpu"] = request },
        };

        List<string> args = StatefulSetBuilder.Args(new KvClusterSpec { Resources = resources });

        Assert.Equal(["--io-threads", loops], args.Take(2));
    }

    [Fact]
    public void Args_NoCpuGiven_LeavesTheNodesOneLoop()
    {
        var spec = new KvClusterSpec { Resources = new ResourceRequirements { Requests = new() { ["memory"] = "1Gi" } } };

        Assert.DoesNotContain("--io-threads", StatefulSetBuilder.Args(spec));
    }

    [Fact]
    public void Build_Demo_EnvFromDownwardApiAndRingConfigMap()
    {
        JsonArray env = Container(Build(Demo()))["env"]!.AsArray();

        Assert.Equal("metadata.name", (string?)At(env.Single(e => (string?)e!["name"] == "KVCACHE_NODE_NAME")!, "valueFrom.fieldRef.fieldPath"));
        Assert.Equal("metadata.namespace", (string?)At(env.Single(e => (string?)e!["name"] == "KVCACHE_NAMESPACE")!, "valueFrom.fieldRef.fieldPath"));
        Assert.Equal("demo-ring", (string?)env.Single(e => (string?)e!["name"] == "KVCACHE_RING_CONFIGMAP")!["value"]);
        Assert.Equal(3, env.Count);
    }

    [Fact]
    public void Build_Demo_PortsProbesAndPreStop()
    {
        JsonNode container = Container(Build(Demo()));

        JsonArray ports = container["ports"]!.AsArray();
        Assert.Equal(7171, (int?)ports.Single(p => (string?)p!["name"] == "http")!["containerPort"]);
        Assert.Equal(6379, (int?)ports.Single(p => (string?)p!["name"] == "resp")!["containerPort"]);
        Assert.Equal("/healthz", (string?)At(container, "livenessProbe.httpGet.path"));
        Assert.Equal("http", (string?)At(container, "livenessProbe.httpGet.port"));
        Assert.Equal("/readyz", (string?)At(container, "readinessProbe.httpGet.path"));
        Assert.Equal("http", (string?)At(container, "readinessProbe.httpGet.port"));
        Assert.Equal("/cluster/prestop", (string?)At(container, "lifecycle.preStop.httpGet.path"));
        Assert.Equal("http", (string?)At(container, "lifecycle.preStop.httpGet.port"));
    }

    [Fact]
    public void Build_Demo_RestrictedSecurityContextAndWritableTmp()
    {
        JsonObject sts = Build(Demo());
        JsonNode container = Container(sts);

        Assert.False((bool?)At(container, "securityContext.allowPrivilegeEscalation"));
        Assert.True((bool?)At(container, "securityContext.readOnlyRootFilesystem"));
        Assert.True((bool?)At(container, "securityContext.runAsNonRoot"));
        Assert.Equal(["ALL"], At(container, "securityContext.capabilities.drop")!.AsArray().Select(c => (string)c!));
        Assert.Equal("RuntimeDefault", (string?)At(container, "securityContext.seccompProfile.type"));
        Assert.True((bool?)At(sts, "spec.template.spec.securityContext.runAsNonRoot"));
        Assert.Equal("RuntimeDefault", (string?)At(sts, "spec.template.spec.securityContext.seccompProfile.type"));
        Assert.Equal("/tmp", (string?)At(container, "volumeMounts[0].mountPath"));
        Assert.Equal("tmp", (string?)At(container, "volumeMounts[0].name"));
        Assert.Equal("tmp", (string?)At(sts, "spec.template.spec.volumes[0].name"));
        Assert.NotNull(At(sts, "spec.template.spec.volumes[0].emptyDir"));
    }

    [Fact]
    public void Build_Demo_PodsCarryScrapeAnnotations()
    {
        JsonNode annotations = At(Build(Demo()), "spec.template.metadata.annotations")!;

        Assert.Equal("true", (string?)annotations["prometheus.io/scrape"]);
        Assert.Equal("7171", (string?)annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", (string?)annotations["prometheus.io/path"]);
    }

    [Fact]
    public void Build_SchedulingAndResources_PassedThrough()
    {
        KvCluster cluster = Demo(s =>
        {
            s.Resources = new ResourceRequirements { Limits = new() { ["memory"] = "1Gi" }, Requests = new() { ["cpu"] = "500m" } };
            s.Affinity = new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [] } };
            s.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "cache", Effect = "NoSchedule" }];
            s.TopologySpreadConstraints = [new V1TopologySpreadConstraint { MaxSkew = 1, TopologyKey = "kubernetes.io/hostname", WhenUnsatisfiable = "ScheduleAnyway" }];
            s.NodeSelector = new() { ["pool"] = "cache" };
            s.PriorityClassName = "cache-critical";
            s.PodAnnotations = new() { ["team"] = "platform", ["prometheus.io/port"] = "9999" };
        });
        JsonObject sts = Build(cluster);

        Assert.Equal("1Gi", (string?)At(Container(sts), "resources.limits.memory"));
        Assert.Equal("500m", (string?)At(Container(sts), "resources.requests.cpu"));
        Assert.NotNull(At(sts, "spec.template.spec.affinity.podAntiAffinity"));
        Assert.Equal("cache", (string?)At(sts, "spec.template.spec.tolerations[0].value"));
        Assert.Equal("kubernetes.io/hostname", (string?)At(sts, "spec.template.spec.topologySpreadConstraints[0].topologyKey"));
        Assert.Equal("cache", (string?)At(sts, "spec.template.spec.nodeSelector.pool"));
        Assert.Equal("cache-critical", (string?)At(sts, "spec.template.spec.priorityClassName"));
        Assert.Equal("platform", (string?)At(sts, "spec.template.metadata.annotations.team"));
        // The metrics port is the pod's own; an annotation cannot point scrapes elsewhere.
        Assert.Equal("7171", (string?)At(sts, "spec.template.metadata.annotations")!["prometheus.io/port"]);
    }

    [Fact]
    public void Build_NegativeReplicas_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StatefulSetBuilder.Build(Demo(), -1, OperatorImages.Default));
    }
}
