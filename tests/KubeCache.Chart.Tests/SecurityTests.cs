using KubeCache.Chart.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace KubeCache.Chart.Tests;

public sealed class SecurityTests
{
    private static readonly string[] EverythingOn =
    [
        "operator.serviceMonitor.enabled=true", "operator.podMonitor.enabled=true", "grafanaDashboard.enabled=true",
        "operator.replicas=2", "rbac.serviceMonitors=true",
    ];

    public static TheoryData<string> Renders => ["defaults", "everything on"];

    [Theory]
    [MemberData(nameof(Renders))]
    public void Template_EveryPod_RunsUnderTheRestrictedPodSecurityStandard(string render)
    {
        Manifests manifests = render == "defaults" ? DefaultRender.Manifests : Helm.Template(EverythingOn).Manifests();
        var pods = manifests.PodSpecs().ToList();

        Assert.Equal(["Deployment/kvcache-operator", "Pod/kvcache-test"], pods.Select(p => p.Owner.ToString()).Order(StringComparer.Ordinal));
        Assert.All(pods, pod =>
        {
            Assert.True(pod.Spec.Bool("securityContext", "runAsNonRoot"), $"{pod.Owner}: runAsNonRoot");
            Assert.True(pod.Spec.Long("securityContext", "runAsUser") > 0, $"{pod.Owner}: runAsUser");
            Assert.Equal("RuntimeDefault", pod.Spec.Str("securityContext", "seccompProfile", "type"));
            Assert.NotEqual(true, pod.Spec.Bool("hostNetwork"));
            Assert.NotEqual(true, pod.Spec.Bool("hostPID"));
            var containers = pod.Spec.Items("containers").Concat(pod.Spec.Items("initContainers")).ToList();
            Assert.NotEmpty(containers);
            Assert.All(containers, c => AssertRestricted(pod.Owner, c));
        });
    }

    [Fact]
    public void Template_ServiceAccountTokens_AreMountedOnlyIntoTheOperator()
    {
        Manifests manifests = DefaultRender.Manifests;

        Assert.True(manifests.Get("Deployment", "kvcache-operator").PodSpec.Bool("automountServiceAccountToken"));
        Assert.False(manifests.Get("Pod", "kvcache-test").PodSpec.Bool("automountServiceAccountToken"));
        Assert.False(manifests.Get("ServiceAccount", "kvcache-operator").Root.Bool("automountServiceAccountToken"));
    }

    [Fact]
    public void Template_Operator_MountsAWritableTmpOnly()
    {
        var spec = DefaultRender.Manifests.Get("Deployment", "kvcache-operator").PodSpec;
        var mounts = spec.Items("containers").Single().Items("volumeMounts");

        Assert.Equal(["/tmp"], mounts.Select(m => m.Str("mountPath")!));
        Assert.NotNull(spec.Items("volumes").Single().At("emptyDir"));
    }

    private static void AssertRestricted(Manifest owner, YamlNode container)
    {
        string where = $"{owner} container {container.Str("name")}";
        Assert.True(container.Bool("securityContext", "allowPrivilegeEscalation") == false, $"{where}: allowPrivilegeEscalation");
        Assert.True(container.Bool("securityContext", "readOnlyRootFilesystem"), $"{where}: readOnlyRootFilesystem");
        Assert.True(container.Bool("securityContext", "runAsNonRoot"), $"{where}: runAsNonRoot");
        Assert.NotEqual(true, container.Bool("securityContext", "privileged"));
        Assert.Equal(["ALL"], container.Strings("securityContext", "capabilities", "drop"));
        Assert.Empty(container.Items("securityContext", "capabilities", "add"));
        Assert.Equal("RuntimeDefault", container.Str("securityContext", "seccompProfile", "type"));
        Assert.NotNull(container.Str("resources", "limits", "memory"));
    }
}
