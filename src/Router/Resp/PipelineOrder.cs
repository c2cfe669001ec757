using KubeCache.Protocol;
using KubeCache.Topology;

namespace KubeCache.Router.Resp;

/// <summary>
/// Keeps one client's pipelined commands on the same key in order. The router starts every
/// command of a batch before awaiting any reply, and the upstream spreads requests for one node
/// over several connections, so a SET and a following GET of the same key could pass each other.
/// This tracks the keys the started-but-unanswered commands read and write; a command that
/// depends on one of them (a write after a read or write, a read after a write) must wait until
/// those replies are in. Commands on different keys, and reads after reads, stay pipelined.
/// </summary>
/// <remarks>Keys are tracked by their 64-bit hash: a collision only costs a needless wait. One instance per connection.</remarks>
public sealed class PipelineOrder
{
    private readonly HashSet<ulong> _read = [];
    private readonly HashSet<ulong> _written = [];
    private bool _readAll;
    private bool _writtenAll;

    private bool IsEmpty => !_readAll && !_writtenAll && _read.Count == 0 && _written.Count == 0;

    /// <summary>Whether <paramref name="command"/> must wait for the replies of the commands added since the last <see cref="Clear"/>.</summary>
    public bool MustWait(RouterCommandSpec? spec, RespCommand command)
    {
        if (spec is null || spec.Access == KeyAccess.None || IsEmpty || !spec.AcceptsCount(command.Count))
        {
            return false;
        }

        switch (spec.Access)
        {
            case KeyAccess.ReadsAll:
                return _writtenAll || _written.Count > 0;
            case KeyAccess.WritesAll:
                return true;
            default:
                bool writes = spec.Access is KeyAccess.WritesKey or KeyAccess.WritesKeys or KeyAccess.WritesPairs;
                if (_writtenAll || (writes && _readAll))
                {
                    return true;
                }

                for (int i = 1; i < command.Count; i += spec.KeyStride)
                {
                    ulong key = Ring.KeyHash(command[i]);
                    if (_written.Contains(key) || (writes && _read.Contains(key)))
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    /// <summary>Records the keys of a command that has been started.</summary>
    public void Add(RouterCommandSpec? spec, RespCommand command)
    {
        if (spec is null || spec.Access == KeyAccess.None || !spec.AcceptsCount(command.Count))
        {
            return;
        }

        switch (spec.Access)
        {
            case KeyAccess.ReadsAll:
                _readAll = true;
                break;
            case KeyAccess.WritesAll:
                _writtenAll = true;
                break;
            default:
                HashSet<ulong> keys = spec.Access is KeyAccess.ReadsKey or KeyAccess.ReadsKeys ? _read : _written;
                for (int i = 1; i < command.Count; i += spec.KeyStride)
                {
                    keys.Add(Ring.KeyHash(command[i]));
                }

                break;
        }
    }

    /// <summary>Forgets every key: the replies of the commands added so far are in.</summary>
    public void Clear()
    {
        _read.Clear();
        _written.Clear();
        _readAll = _writtenAll = false;
    }
}
