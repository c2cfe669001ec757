using System.Net;

namespace KubeCache.Hosting.Limits;

/// <summary>Why a connection was refused; the metric label and the error text both come from here.</summary>
public enum RejectReason
{
    /// <summary>The process holds --max-connections connections.</summary>
    MaxConnections,

    /// <summary>The client's address holds --max-connections-per-ip connections.</summary>
    MaxConnectionsPerIp,
}

/// <summary>
/// Counts open connections, in total and per client address, and admits a new one only while
/// both counts are under their limits. One lock guards both counts: connections are accepted at a
/// modest rate next to the requests they carry, and a lock keeps the two counts consistent.
/// </summary>
public sealed class ConnectionGate(int maxConnections, int maxPerAddress)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private int _open;

    /// <summary>Connections admitted and not yet released.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Admits a connection from <paramref name="address"/> (null when unknown: counted in the total only).</summary>
    /// <returns>Null when admitted (call <see cref="Release"/> when it closes), else why not.</returns>
    public RejectReason? TryEnter(IPAddress? address)
    {
        lock (_sync)
        {
            if (_open >= maxConnections)
            {
                return RejectReason.MaxConnections;
            }

            if (address is not null && maxPerAddress > 0)
            {
                _perAddress.TryGetValue(address, out int fromAddress);
                if (fromAddress >= maxPerAddress)
                {
                    return RejectReason.MaxConnectionsPerIp;
                }

                _perAddress[address] = fromAddress + 1;
            }

            _open++;
            return null;
        }
    }

    /// <summary>Releases a connection admitted by <see cref="TryEnter"/> with the same address.</summary>
    public void Release(IPAddress? address)
    {
        lock (_sync)
        {
            _open--;
            if (address is not null && maxPerAddress > 0)
            {
                int left = _perAddress[address] - 1;
                if (left == 0)
                {
                    // Dropped, so the table holds only addresses with open connections.
                    _perAddress.Remove(address);
                }
                else
                {
                    _perAddress[address] = left;
                }
            }
        }
    }

    /// <summary>The address a limit counts: IPv4-mapped IPv6 addresses count as their IPv4 address.</summary>
    public static IPAddress? AddressOf(EndPoint? remote) =>
        remote is IPEndPoint ip ? (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address) : null;
}
