using System.Globalization;

namespace KubeCache.Topology;

/// <summary>
/// The commands and error replies by which routers and nodes tell each other where a key lives
/// and which ring they are on (docs/topology.md, "Ownership fencing"). Error codes start with
/// <c>KV</c> so no Redis client mistakes them for Redis Cluster's own <c>MOVED slot</c>.
/// </summary>
public static class RingProtocol
{
    /// <summary><c>KVRING</c> asks a node for its ring document; <c>KVRING json</c> offers it one and answers the epoch it uses then.</summary>
    public static readonly ReadOnlyMemory<byte> RingCommand = "KVRING"u8.ToArray();

    /// <summary>
    /// <c>KVTAKE epoch key token</c>: the new owner takes a key from its previous owner (value and
    /// expiry, or nil). Repeatable: the same token asked again gets the same copy.
    /// </summary>
    public static readonly ReadOnlyMemory<byte> TakeCommand = "KVTAKE"u8.ToArray();

    /// <summary><c>KVDONE epoch name</c>: the previous owner <c>name</c> has handed off every key it held for the receiver under that epoch.</summary>
    public static readonly ReadOnlyMemory<byte> DoneCommand = "KVDONE"u8.ToArray();

    /// <summary>The code of the redirect: <c>KVMOVED epoch owner host:port</c>.</summary>
    public const string MovedCode = "KVMOVED";

    /// <summary>The code of "we are on different rings": <c>KVSTALE epoch rebalancing(0|1)</c>, naming the answering node's.</summary>
    public const string StaleCode = "KVSTALE";

    /// <summary>
    /// The reply to a handed-off key on a connection that declared its ring before this node was
    /// flushed: such bytes may be an attempt its sender gave up on, read only now, and must not land
    /// after the flush; a sender still waiting connects again and declares anew.
    /// </summary>
    public const string Flushed = "KVFLUSHED this node was flushed after the connection declared its ring (KVRING); connect again and declare it";

    /// <summary>The redirect a node answers for a key <paramref name="owner"/> owns under ring <paramref name="epoch"/>.</summary>
    public static string Moved(long epoch, RingMember owner) =>
        string.Create(CultureInfo.InvariantCulture, $"{MovedCode} {epoch} {owner.Name} {owner.Resp}");

    /// <summary>The reply to a peer whose ring differs from <paramref name="document"/>, the one in use.</summary>
    public static string Stale(RingDocument? document) =>
        string.Create(CultureInfo.InvariantCulture, $"{StaleCode} {document?.Epoch ?? 0} {(document?.Previous is null ? 0 : 1)}");

    /// <summary>
    /// Reads a <see cref="MovedCode"/> or <see cref="StaleCode"/> error: the epoch the answering
    /// node uses and whether that document still rebalances (false for a redirect, which does not say).
    /// </summary>
    public static bool TryParse(string? error, out string code, out long epoch, out bool rebalancing)
    {
        code = "";
        epoch = 0;
        rebalancing = false;
        if (error is null)
        {
            return false;
        }

        string[] parts = error.Split(' ');
        if (parts.Length < 3 || (parts[0] != MovedCode && parts[0] != StaleCode)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out epoch))
        {
            return false;
        }

        code = parts[0];
        rebalancing = code == StaleCode && parts[2] == "1";
        return true;
    }

    /// <summary>
    /// Whether a peer that answered <paramref name="epoch"/> (and <paramref name="rebalancing"/>)
    /// is further along than <paramref name="mine"/>, by the order of <see cref="RingDocument.IsNewerThan"/>.
    /// </summary>
    public static bool PeerIsNewer(RingDocument? mine, long epoch, bool rebalancing) =>
        mine is null ? epoch > 0 : epoch > mine.Epoch || (epoch == mine.Epoch && !rebalancing && mine.Previous is not null);
}
