using System.Net;
using KubeCache.Testing;

namespace KubeCache.Consistency.Tests;

/// <summary>
/// A slow link made exact: a <see cref="LoopbackProxy"/> that holds one direction until
/// <see cref="Release"/> and passes the other at once: what its clients send (the request never
/// reaches the target), or with <c>holdReplies</c> what the target answers (the target has acted
/// on the request, and its answer is on its way), so one process's traffic to a node is in flight
/// for as long as the test wants. With <c>cutFirstReply</c> nothing is held: the first bytes the
/// target answers are dropped and that connection is closed (the target has acted on the request,
/// its client never hears), and every later read passes.
/// </summary>
public sealed class HoldingProxy : LoopbackProxy
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _holdReplies;
    private int _cutsLeft;
    private long _held;
    private long _cut;

    public HoldingProxy(IPEndPoint target, bool holdReplies = false, bool cutFirstReply = false)
        : base(target)
    {
        _holdReplies = holdReplies;
        _cutsLeft = cutFirstReply ? 1 : 0;
        if (cutFirstReply)
        {
            // Nothing is held in this mode.
            _released.TrySetResult();
        }

        Start();
    }

    /// <summary>Bytes of the held direction that the proxy has received (held until released).</summary>
    public long ReceivedBytes => Interlocked.Read(ref _held);

    /// <summary>Bytes the target answered that the proxy dropped by closing the connection.</summary>
    public long CutBytes => Interlocked.Read(ref _cut);

    /// <summary>Lets everything held, and everything after, through.</summary>
    public void Release() => _released.TrySetResult();

    protected override async ValueTask<int> PassAsync(ProxiedConnection connection, bool reply, int bytes, CancellationToken stop)
    {
        if (reply && Interlocked.Exchange(ref _cutsLeft, 0) == 1)
        {
            Interlocked.Add(ref _cut, bytes);
            return 0;
        }

        if (reply == _holdReplies)
        {
            Interlocked.Add(ref _held, bytes);
            await _released.Task.WaitAsync(stop);
        }

        return bytes;
    }
}
