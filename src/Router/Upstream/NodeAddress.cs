using System.Globalization;
using System.Net;

namespace KubeCache.Router.Upstream;

/// <summary>A node's RESP address, <c>host:port</c>; an IPv6 host is written in brackets, <c>[::1]:6379</c>.</summary>
internal readonly record struct NodeAddress(string Host, int Port)
{
    /// <summary>Where to connect: an IP address as it is, any other host through DNS at each connect.</summary>
    public EndPoint EndPoint => IPAddress.TryParse(Host, out IPAddress? ip) ? new IPEndPoint(ip, Port) : new DnsEndPoint(Host, Port);

    /// <exception cref="ArgumentException"><paramref name="address"/> is not <c>host:port</c>.</exception>
    public static NodeAddress Parse(string address, string paramName)
    {
        ArgumentNullException.ThrowIfNull(address, paramName);
        return TryParse(address, out NodeAddress parsed)
            ? parsed
            : ThrowHelper.ThrowBadAddress<NodeAddress>(paramName, address);
    }

    public static bool TryParse(string address, out NodeAddress parsed)
    {
        parsed = default;
        int colon = address.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        string host = address[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':'))
        {
            // An unbracketed IPv6 address is ambiguous: is the last group a port?
            return false;
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            return false;
        }

        parsed = new NodeAddress(host, port);
        return true;
    }
}
