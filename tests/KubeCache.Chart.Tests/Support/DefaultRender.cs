namespace KubeCache.Chart.Tests.Support;

/// <summary>The chart rendered with its default values, once per test run (rendering is a process start).</summary>
internal static class DefaultRender
{
    private static readonly Lazy<Manifests> LazyManifests = new(() => Helm.Template().Manifests());

    public static Manifests Manifests => LazyManifests.Value;
}
