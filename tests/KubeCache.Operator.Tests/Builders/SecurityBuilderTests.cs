using k8s.Models;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;
using KubeCache.Operator.Tests.Support;

namespace KubeCache.Operator.Tests.Builders;

public class SecurityBuilderTests
{
    private static KvCluster Secured() => TestClusters.Demo(s =>
    {
        s.Auth = new AuthSpec { SecretRef = new SecretKeyReference { Name = "demo-keys", Key = "api-keys" } };
        s.Tls = new TlsSpec { SecretName = "demo-tls" };
    });

    [Fact]
    public void Build_AuthAndTls_NodesMountBothSecretsReadOnlyWithTheSecurityFlags()
    {
        V1PodSpec pod = StatefulSetBuilder.Build(Secured(), 3, OperatorImages.Default).Spec!.Template!.Spec!;
        V1Container node = pod.Containers![0];

        AssertSecurity(pod, node);
    }

    [Fact]
    public void BuildRouter_AuthAndTls_RoutersMountBothSecretsReadOnlyWithTheSecurityFlags()
    {
        V1PodSpec pod = DeploymentBuilder.BuildRouter(Secured(), OperatorImages.Default).Spec!.Template!.Spec!;

        AssertSecurity(pod, pod.Containers![0]);
    }

    [Fact]
    public void Build_NeitherAuthNorTls_AddsNoSecurityFlagsOrVolumes()
    {
        V1PodSpec pod = StatefulSetBuilder.Build(TestClusters.Demo(), 3, OperatorImages.Default).Spec!.Template!.Spec!;

        Assert.Equal(["tmp"], pod.Volumes!.Select(v => v.Name));
        Assert.DoesNotContain(pod.Containers![0].Args ?? [], a => a.StartsWith("--auth", StringComparison.Ordinal) || a.StartsWith("--tls", StringComparison.Ordinal));
    }

    [Fact]
    public void Args_AuthWithoutKey_UsesTheDefaultKeyName()
    {
        List<string> args = SecurityParts.Args(new KvClusterSpec { Auth = new AuthSpec { SecretRef = new SecretKeyReference { Name = "k" } } });

        Assert.Equal(["--auth-keys-file", "/etc/kubecache/auth/keys"], args);
    }

    private static void AssertSecurity(V1PodSpec pod, V1Container container)
    {
        Assert.Contains(pod.Volumes!, v => v.Name == "auth" && v.Secret?.SecretName == "demo-keys");
        Assert.Contains(pod.Volumes!, v => v.Name == "tls" && v.Secret?.SecretName == "demo-tls");
        Assert.Contains(container.VolumeMounts!, m => m.Name == "auth" && m.MountPath == "/etc/kubecache/auth" && m.ReadOnlyProperty == true);
        Assert.Contains(container.VolumeMounts!, m => m.Name == "tls" && m.MountPath == "/etc/kubecache/tls" && m.ReadOnlyProperty == true);
        string args = string.Join(' ', container.Args!);
        Assert.Contains("--auth-keys-file /etc/kubecache/auth/api-keys", args, StringComparison.Ordinal);
        Assert.Contains("--tls-cert-file /etc/kubecache/tls/tls.crt --tls-key-file /etc/kubecache/tls/tls.key --tls-ca-file /etc/kubecache/tls/ca.crt", args, StringComparison.Ordinal);
        Assert.Contains("--peer-tls true", args, StringComparison.Ordinal);
        Assert.Contains("--tls-resp-port 6380", args, StringComparison.Ordinal);
        Assert.Contains("--tls-http-port 7443", args, StringComparison.Ordinal);
        Assert.Contains(container.Ports!, p => p.ContainerPort == 6380);
        Assert.Contains(container.Ports!, p => p.ContainerPort == 7443 && p.Name == "https");
    }
}
