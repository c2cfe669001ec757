using System.Net;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>
/// A link that is down until <see cref="Restore"/>: a <see cref="LoopbackProxy"/> to <c>target</c>
/// that cuts every connection at the first bytes its client sends (the target never hears them),
/// and from its restoring on passes everything, so a sender retries until then.
/// </summary>
internal sealed class OutageProxy : LoopbackProxy
{
    private volatile bool _restored;

    public OutageProxy(IPEndPoint target)
        : base(target) => Start();

    /// <summary>Connections made from now on pass everything.</summary>
    public void Restore() => _restored = true;

    protected override ValueTask<int> PassAsync(ProxiedConnection connection, bool reply, int bytes, CancellationToken stop) =>
        ValueTask.FromResult(_restored || reply ? bytes : 0);
}
