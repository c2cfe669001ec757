using System.Net;
using KubeCache.Testing;

namespace KubeCache.Consistency.Tests.History;

/// <summary>
/// A flaky link between nodes: a <see cref="LoopbackProxy"/> that cuts connections part-way.
/// Each direction of a connection is split into windows, <see cref="RequestWindowBytes"/> of what
/// the client sends and <see cref="ReplyWindowBytes"/> of what the target answers, and in a share
/// of the windows, drawn as each begins, the connection is cut at a point drawn inside it: a
/// handoff batch or a take that arrives in part, or an answer lost after the target acted. The
/// client opens a new connection, whose windows are drawn afresh.
/// </summary>
public sealed class CuttingProxy : LoopbackProxy
{
    public const int RequestWindowBytes = 16 * 1024;

    public const int ReplyWindowBytes = 512;

    private readonly double _share;
    private readonly Random _random;
    private long _cuts;

    /// <param name="target">The node's RESP address.</param>
    /// <param name="share">The share of windows with a cut, 0 to 1.</param>
    /// <param name="seed">Seeds the draws (the moments of the cuts still depend on timing).</param>
    public CuttingProxy(IPEndPoint target, double share, int seed)
        : base(target)
    {
        _share = share;
        _random = new Random(seed);
        Start();
    }

    /// <summary>Connections cut so far.</summary>
    public long Cuts => Interlocked.Read(ref _cuts);

    protected override ProxiedConnection Accepted() => new Windows();

    protected override ValueTask<int> PassAsync(ProxiedConnection connection, bool reply, int bytes, CancellationToken stop)
    {
        // Each direction is pumped by one task at a time, so its window needs no lock.
        Window window = reply ? ((Windows)connection).Replies : ((Windows)connection).Requests;
        long end = window.Passed + bytes;
        while (end > window.Next)
        {
            if (window.CutAtNext)
            {
                Interlocked.Increment(ref _cuts);
                return ValueTask.FromResult((int)(window.Next - window.Passed));
            }

            Draw(window, reply ? ReplyWindowBytes : RequestWindowBytes);
        }

        window.Passed = end;
        return ValueTask.FromResult(bytes);
    }

    /// <summary>Starts the next window of <paramref name="size"/> bytes: cut at a point inside it, or not.</summary>
    private void Draw(Window window, int size)
    {
        lock (_random)
        {
            long start = window.Next;
            window.CutAtNext = _random.NextDouble() < _share;
            window.Next = start + (window.CutAtNext ? _random.Next(size) : size);
        }
    }

    private sealed class Windows : ProxiedConnection
    {
        public Window Requests { get; } = new();

        public Window Replies { get; } = new();
    }

    /// <summary>One direction: bytes passed, and where the current window ends or its cut falls.</summary>
    private sealed class Window
    {
        public long Passed { get; set; }

        public long Next { get; set; }

        public bool CutAtNext { get; set; }
    }
}
