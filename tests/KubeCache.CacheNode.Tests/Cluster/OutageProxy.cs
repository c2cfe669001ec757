using System.Net;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>
/// A link that is down until <see cref="Restore"/>: a <see cref="LoopbackProxy"/> to <c>target</c>
/// that cuts every connection at the first bytes its client sends (the target never hears them),
/// or with <c>cutReplies</c> at the first bytes the target answers (the target acted, its client
/// never hears), and from its restoring on passes everything, so a sender retries until then.
/// </summary>
internal sealed class OutageProxy : LoopbackProxy
{
    private readonly bool _cutReplies;
    private volatile bool _restored;
    private int _cuts;

    public OutageProxy(IPEndPoint target, bool cutReplies = false)
        : base(target)
    {
        _cutReplies = cutReplies;
        Start();
    }

    /// <summary>Connections cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Everything passes from now on.</summary>
    public void Restore() => _restored = true;

    protected override ValueTask<int> PassAsync(ProxiedConnection connection, bool reply, int bytes, CancellationToken stop)
    {
        if (_restored || reply != _cutReplies)
        {
            return ValueTask.FromResult(bytes);
        }

        Interlocked.Increment(ref _cuts);
        return ValueTask.FromResult(0);
    }
}
