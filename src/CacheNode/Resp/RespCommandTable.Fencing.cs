using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Resp;

/// <summary>The ownership check every key command passes (docs/topology.md, "Ownership fencing").</summary>
public sealed partial class RespCommandTable
{
    private readonly CacheStore _store;
    private readonly NodeRing _ring;
    private readonly KeyPuller _puller;

    /// <summary>
    /// Judges the command's keys by <paramref name="fence"/>, the ring in use read inside the
    /// gate. Returns null when the command may run now; otherwise the reply is a redirect (a key
    /// another member owns), or the command runs once the keys moving here have been taken from
    /// their previous owner.
    /// </summary>
    private ValueTask? Fenced(RespCommandSpec spec, RespSession session, Fence? fence)
    {
        if (fence is null || fence.OwnsAll)
        {
            if (_ring.AwaitingRing)
            {
                RespErrors.Write(session, RingProtocol.Stale(null));
                session.CommandStarted = spec.Series!.Record(ok: false, session.CommandStarted);
                return default(ValueTask);
            }

            return null;
        }

        RespCommand command = session.Command;
        (int first, int last, int stride) = spec.KeyRange(command.Count);
        List<(byte[] Key, RingMember From)>? pulls = null;
        for (int i = first; i <= last; i += stride)
        {
            switch (fence.JudgeFor(command[i], _store, writes: !spec.ReadOnly, out RingMember? other))
            {
                case Ownership.Moved:
                    RespErrors.Write(session, RingProtocol.Moved(fence.Epoch, other!));
                    session.CommandStarted = spec.Series!.Record(ok: false, session.CommandStarted);
                    return default(ValueTask);
                case Ownership.MovingHere:
                    (pulls ??= []).Add((command[i].ToArray(), other!));
                    break;
            }
        }

        return pulls is null ? null : PullThenRunAsync(spec, session, fence, pulls);
    }

    /// <summary>Whether a key of the command moves here under <paramref name="fence"/>: running it may first take the key from its previous owner.</summary>
    private static bool MovesHere(RespCommandSpec spec, RespSession session, Fence? fence)
    {
        if (fence is null || fence.OwnsAll)
        {
            return false;
        }

        RespCommand command = session.Command;
        (int first, int last, int stride) = spec.KeyRange(command.Count);
        for (int i = first; i <= last; i += stride)
        {
            if (fence.Judge(command[i], out _) == Ownership.MovingHere)
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask PullThenRunAsync(RespCommandSpec spec, RespSession session, Fence fence, List<(byte[] Key, RingMember From)> pulls)
    {
        // The takes start inside the gate (so the next ring's handoff waits for them, see
        // KeyPuller.TakesBeforeAsync), but no command waits on the network inside it: a ring
        // change would wait for it.
        Task pulling = _puller.PullAsync(fence, pulls, session.Stopping);
        session.LeaveGate();
        try
        {
            await pulling.ConfigureAwait(false);
        }
        catch (IOException e)
        {
            RespErrors.Write(session, "TRYAGAIN " + e.Message);
            session.CommandStarted = spec.Series!.Record(ok: false, session.CommandStarted);
            return;
        }

        session.EnterGate(_ring.Gate);
        if (_ring.Fence != fence)
        {
            // The ring moved on meanwhile (or the previous owner showed a newer one): judge again.
            await ExecuteAsync(session).ConfigureAwait(false);
            return;
        }

        await Run(spec, session).ConfigureAwait(false);
    }
}
