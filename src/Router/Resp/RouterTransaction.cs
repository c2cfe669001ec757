using KubeCache.Protocol;
using KubeCache.Router.Upstream;

namespace KubeCache.Router.Resp;

/// <summary>
/// One client's transaction state on a router: the commands queued since MULTI (copied), the one
/// owner their keys share, and the WATCH connection: WATCH runs on a node connection of the
/// client's own, which EXEC then uses, since a node remembers watches per connection. Everything
/// that touches the WATCH connection runs in order through <see cref="Then"/>.
/// </summary>
public sealed class RouterTransaction
{
    private Task _pending = Task.CompletedTask;

    /// <summary>Between MULTI and EXEC or DISCARD.</summary>
    public bool InMulti { get; set; }

    /// <summary>A queued command was refused: EXEC aborts.</summary>
    public bool Failed { get; set; }

    public List<(RouterCommandSpec Spec, ReadOnlyMemory<byte>[] Command)> Queued { get; } = [];

    /// <summary>Bytes of the queued commands and watched keys, against --resp-max-transaction-bytes.</summary>
    public long Bytes { get; set; }

    /// <summary>The member every key of the transaction (watched or queued) belongs to, by the ring when it was queued; null before the first key.</summary>
    public string? Owner { get; set; }

    /// <summary>The node connection WATCH ran on (set once the WATCH completes), or null.</summary>
    public UpstreamConnection? Watching { get; set; }

    /// <summary>Whether WATCH was sent since the last EXEC, DISCARD or UNWATCH.</summary>
    public bool Watched { get; set; }

    /// <summary>Runs <paramref name="next"/> after everything chained before it, so WATCH, EXEC and UNWATCH of one client keep their order.</summary>
    public ValueTask<RespValue> Then(Func<Task<RespValue>> next)
    {
        Task<RespValue> task = AfterAsync(_pending, next);
        _pending = task;
        return new ValueTask<RespValue>(task);
    }

    /// <summary>Forgets the queue, the owner and the watched keys (EXEC, DISCARD, UNWATCH); the WATCH connection is taken apart by <see cref="TakeWatching"/>.</summary>
    public void End()
    {
        InMulti = false;
        Failed = false;
        Queued.Clear();
        Bytes = 0;
        Owner = null;
        Watched = false;
    }

    /// <summary>Takes the WATCH connection out; the caller closes it.</summary>
    public UpstreamConnection? TakeWatching()
    {
        UpstreamConnection? watching = Watching;
        Watching = null;
        return watching;
    }

    private static async Task<RespValue> AfterAsync(Task before, Func<Task<RespValue>> next)
    {
        try
        {
            await before.ConfigureAwait(false);
        }
        catch (Exception e) when (e is UpstreamException or OperationCanceledException)
        {
            // Its own caller got that failure; what follows runs regardless.
        }

        return await next().ConfigureAwait(false);
    }
}
