using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>
/// Images used when a KvCluster names none: the operator's <c>--node-image</c> and
/// <c>--router-image</c>, which default to <see cref="KvClusterDefaults"/>.
/// </summary>
public sealed record OperatorImages(string Node, string Router)
{
    /// <summary>The images of this release (tag = chart appVersion).</summary>
    public static OperatorImages Default { get; } = new(KvClusterDefaults.NodeImage, KvClusterDefaults.RouterImage);
}
