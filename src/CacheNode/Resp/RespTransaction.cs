using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp;

/// <summary>
/// One connection's transaction state: the commands queued since MULTI (as sent, to be read again
/// at EXEC), whether one was refused, and the keys it WATCHes with whether each existed then.
/// </summary>
public sealed class RespTransaction
{
    /// <summary>Between MULTI and EXEC or DISCARD.</summary>
    public bool InMulti { get; private set; }

    /// <summary>A queued command was refused: EXEC aborts.</summary>
    public bool Failed { get; set; }

    /// <summary>The commands queued, each with its spec and its frame.</summary>
    public List<(RespCommandSpec Spec, byte[] Frame)> Queued { get; } = [];

    /// <summary>The watched keys, each with whether it existed when watched (an expiry or eviction since is a change).</summary>
    public List<(byte[] Key, bool Existed)> Watched { get; } = [];

    /// <summary>Bytes held: queued frames plus watched keys, against --resp-max-transaction-bytes.</summary>
    public long Bytes { get; private set; }

    public void Begin() => InMulti = true;

    /// <summary>Queues the command as its frame; false when it would pass <paramref name="limit"/> bytes.</summary>
    public bool TryQueue(RespCommandSpec spec, RespCommand command, long limit)
    {
        var frame = new ArrayBufferWriter<byte>();
        RespCommandWriter.Write(frame, command);
        if (Bytes + frame.WrittenCount > limit)
        {
            return false;
        }

        Bytes += frame.WrittenCount;
        Queued.Add((spec, frame.WrittenSpan.ToArray()));
        return true;
    }

    /// <summary>Adds a watched key; false when it would pass <paramref name="limit"/> bytes.</summary>
    public bool TryWatch(byte[] key, bool existed, long limit)
    {
        if (Bytes + key.Length > limit)
        {
            return false;
        }

        Bytes += key.Length;
        Watched.Add((key, existed));
        return true;
    }

    /// <summary>Leaves MULTI, dropping the queue (the watched keys stay until <see cref="ClearWatched"/>).</summary>
    public void EndMulti()
    {
        foreach ((_, byte[] frame) in Queued)
        {
            Bytes -= frame.Length;
        }

        Queued.Clear();
        InMulti = false;
        Failed = false;
    }

    public void ClearWatched()
    {
        foreach ((byte[] key, _) in Watched)
        {
            Bytes -= key.Length;
        }

        Watched.Clear();
    }
}
