using KubeCache.Chart.Tests.Support;

namespace KubeCache.Chart.Tests;

public sealed class RenderTests
{
    [Fact]
    public void Template_Defaults_RendersExactlyTheDefaultObjects()
    {
        string[] expected =
        [
            "ClusterRole/kvcache-operator", "ClusterRoleBinding/kvcache-operator",
            "Deployment/kvcache-operator", "KvCluster/kvcache",
            "NetworkPolicy/kvcache-nodes", "NetworkPolicy/kvcache-operator", "NetworkPolicy/kvcache-routers",
            "Pod/kvcache-test", "Role/kvcache-operator-leader-election", "RoleBinding/kvcache-operator-leader-election",
            "Service/kvcache-operator", "ServiceAccount/kvcache-operator",
        ];

        string[] rendered = DefaultRender.Manifests.All.Select(m => m.ToString()).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(expected, rendered);
    }

    [Fact]
    public void Template_Defaults_EveryObjectCarriesTheStandardLabels()
    {
        Assert.All(DefaultRender.Manifests.All, m =>
        {
            Assert.Equal("kvcache", m.Labels.GetValueOrDefault("app.kubernetes.io/name"));
            Assert.Equal(Helm.Release, m.Labels.GetValueOrDefault("app.kubernetes.io/instance"));
            Assert.Equal("Helm", m.Labels.GetValueOrDefault("app.kubernetes.io/managed-by"));
            Assert.Equal("0.1.0", m.Labels.GetValueOrDefault("app.kubernetes.io/version"));
            Assert.Equal("kvcache-0.1.0", m.Labels.GetValueOrDefault("helm.sh/chart"));
            Assert.False(string.IsNullOrEmpty(m.Labels.GetValueOrDefault("app.kubernetes.io/component")), $"{m} has no component label");
        });
    }

    [Fact]
    public void Template_Defaults_NamespacedObjectsLiveInTheReleaseNamespace()
    {
        string[] clusterScoped = ["ClusterRole", "ClusterRoleBinding"];

        Assert.All(DefaultRender.Manifests.All, m =>
            Assert.Equal(clusterScoped.Contains(m.Kind) ? null : Helm.Namespace, m.Namespace));
    }

    [Fact]
    public void Template_Defaults_OperatorGetsImagesFlagsAndDownwardApiEnvironment()
    {
        Manifest deployment = DefaultRender.Manifests.Get("Deployment", "kvcache-operator");
        var container = deployment.PodSpec.Items("containers").Single();
        var env = container.Items("env").ToDictionary(e => e.Str("name")!, e => e);

        Assert.Equal("ghcr.io/kubecache/kvcache-operator:0.1.0", container.Str("image"));
        Assert.Equal(
            ["--http-port=8080", "--lease-name=kvcache-operator-leader",
             "--node-image=ghcr.io/kubecache/kvcache-node:0.1.0", "--router-image=ghcr.io/kubecache/kvcache-router:0.1.0"],
            container.Strings("args"));
        Assert.Equal("metadata.namespace", env["KVCACHE_NAMESPACE"].Str("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.name", env["KVCACHE_POD_NAME"].Str("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("", env["KVCACHE_WATCH_NAMESPACE"].Str("value"));
        Assert.Equal(8080, container.Items("ports").Single().Long("containerPort"));
        Assert.Equal("/healthz", container.Str("livenessProbe", "httpGet", "path"));
        Assert.Equal("/readyz", container.Str("readinessProbe", "httpGet", "path"));
        Assert.Equal("kvcache-operator", deployment.PodSpec.Str("serviceAccountName"));
    }

    [Fact]
    public void Template_Defaults_OperatorServiceSelectsOperatorPodsWithScrapeAnnotations()
    {
        Manifest service = DefaultRender.Manifests.Get("Service", "kvcache-operator");
        Manifest deployment = DefaultRender.Manifests.Get("Deployment", "kvcache-operator");
        var podLabels = deployment.Root.Map("spec", "template", "metadata", "labels");

        Assert.Equal("true", service.Annotations["prometheus.io/scrape"]);
        Assert.Equal("8080", service.Annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", service.Annotations["prometheus.io/path"]);
        Assert.All(service.Root.Map("spec", "selector"), l => Assert.Equal(l.Value, podLabels.GetValueOrDefault(l.Key)));
        Assert.Equal(deployment.Root.Map("spec", "selector", "matchLabels"), service.Root.Map("spec", "selector"));
        Assert.Equal("http", service.Root.Items("spec", "ports").Single().Str("targetPort"));
    }

    [Fact]
    public void Template_CustomOperatorValues_AppearOnTheDeployment()
    {
        Manifests manifests = Helm.Template(
            "operator.replicas=2", "operator.resources.limits.memory=1Gi", "operator.resources.requests.cpu=250m",
            "operator.image.tag=dev", "images.node.tag=n1", "operator.watchNamespace=apps").Manifests();
        Manifest deployment = manifests.Get("Deployment", "kvcache-operator");
        var container = deployment.PodSpec.Items("containers").Single();

        Assert.Equal(2, deployment.Root.Long("spec", "replicas"));
        Assert.Equal("1Gi", container.Str("resources", "limits", "memory"));
        Assert.Equal("250m", container.Str("resources", "requests", "cpu"));
        Assert.Equal("ghcr.io/kubecache/kvcache-operator:dev", container.Str("image"));
        Assert.Contains("--node-image=ghcr.io/kubecache/kvcache-node:n1", container.Strings("args"));
        Assert.Equal("apps", container.Items("env").Single(e => e.Str("name") == "KVCACHE_WATCH_NAMESPACE").Str("value"));
    }

    [Fact]
    public void Template_Defaults_MonitoringObjectsAreOff()
    {
        Assert.Empty(DefaultRender.Manifests.OfKind("ServiceMonitor"));
        Assert.Empty(DefaultRender.Manifests.OfKind("PodMonitor"));
        Assert.Empty(DefaultRender.Manifests.OfKind("ConfigMap"));
    }

    [Fact]
    public void Template_MonitorsEnabled_SelectTheOperatorsServiceAndPods()
    {
        Manifests manifests = Helm.Template(
            "operator.serviceMonitor.enabled=true", "operator.serviceMonitor.interval=15s",
            "operator.serviceMonitor.labels.release=prom", "operator.podMonitor.enabled=true").Manifests();
        Manifest serviceMonitor = manifests.Get("ServiceMonitor", "kvcache-operator");
        Manifest podMonitor = manifests.Get("PodMonitor", "kvcache-operator");
        Manifest service = manifests.Get("Service", "kvcache-operator");
        var podLabels = manifests.Get("Deployment", "kvcache-operator").Root.Map("spec", "template", "metadata", "labels");

        Assert.Equal("monitoring.coreos.com/v1", serviceMonitor.Root.Str("apiVersion"));
        Assert.Equal("prom", serviceMonitor.Labels["release"]);
        Assert.All(serviceMonitor.Root.Map("spec", "selector", "matchLabels"), l => Assert.Equal(l.Value, service.Labels.GetValueOrDefault(l.Key)));
        var endpoint = serviceMonitor.Root.Items("spec", "endpoints").Single();
        Assert.Equal("15s", endpoint.Str("interval"));
        Assert.Contains(endpoint.Str("port"), service.Root.Items("spec", "ports").Select(p => p.Str("name")));
        Assert.All(podMonitor.Root.Map("spec", "selector", "matchLabels"), l => Assert.Equal(l.Value, podLabels.GetValueOrDefault(l.Key)));
        Assert.Equal("http", podMonitor.Root.Items("spec", "podMetricsEndpoints").Single().Str("port"));
    }
}
