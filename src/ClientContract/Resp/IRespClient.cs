using KubeCache.Protocol;

namespace KubeCache.ClientContract.Resp;

/// <summary>What the connection commands read and set on one client connection.</summary>
public interface IRespClient
{
    /// <summary>The id CLIENT ID and HELLO report, unique in the process; assigned on first use.</summary>
    long Id { get; }

    /// <summary>The name given with CLIENT SETNAME or HELLO … SETNAME, or null.</summary>
    string? Name { get; set; }

    /// <summary>The protocol chosen with HELLO; RESP2 until then.</summary>
    RespProtocol Protocol { get; set; }

    /// <summary>True when a keys file is configured: HELLO then takes AUTH arguments (checked before it runs).</summary>
    bool AuthRequired { get; }
}

/// <summary>Hands out client ids, once per process, for <see cref="IRespClient.Id"/>.</summary>
public static class RespClientIds
{
    private static long s_next;

    /// <summary>The id in <paramref name="id"/>, assigning the next one first when it is 0.</summary>
    public static long Assign(ref long id) => id != 0 ? id : id = Interlocked.Increment(ref s_next);
}
