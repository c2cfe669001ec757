using KubeCache.Configuration;
using static KubeCache.Configuration.OptionParsers;

namespace KubeCache.Hosting.Limits;

/// <summary>
/// The flags of <see cref="ConnectionLimits"/>, spelled the same in every process: a node's and a
/// router's option tables both splice these in, so the flags, KVCACHE_* variables, --help and the
/// README rows cannot drift apart between them.
/// </summary>
public static class ConnectionLimitSpecs
{
    /// <param name="limits">Finds the limits inside a process's options.</param>
    public static IEnumerable<OptionSpec<TOptions>> For<TOptions>(Func<TOptions, ConnectionLimits> limits) =>
    [
        new("--max-connections", "10000", "connections", "Open client connections (both ports, HTTP and RESP); beyond it new ones get `-ERR max number of clients reached` or HTTP 503 and are closed.", (o, v) => limits(o).MaxConnections = Int(v, "--max-connections")),
        new("--max-connections-per-ip", "1000", "connections", "Open connections from one client IP address, refused the same way; 0 turns it off (clients behind one NAT address share it).", (o, v) => limits(o).MaxConnectionsPerIp = Int(v, "--max-connections-per-ip")),
        new("--max-request-line-bytes", "8192", "bytes", "Longest HTTP request line (method, path and query); longer gets 414.", (o, v) => limits(o).MaxRequestLineBytes = (int)Bytes(v, "--max-request-line-bytes", int.MaxValue)),
        new("--max-header-bytes", "32768", "bytes", "Largest total of HTTP request headers; larger gets 431.", (o, v) => limits(o).MaxHeaderBytes = (int)Bytes(v, "--max-header-bytes", int.MaxValue)),
        new("--max-header-count", "100", "headers", "Most HTTP request headers; more gets 431.", (o, v) => limits(o).MaxHeaderCount = Int(v, "--max-header-count")),
        new("--idle-timeout", "300", "seconds (or `500ms`, `5m`)", "A RESP connection with no command arriving, or an HTTP keep-alive connection between requests, is closed after this long.", (o, v) => limits(o).IdleTimeout = Duration(v, "--idle-timeout")),
        new("--request-timeout", "30", "seconds (or `1500ms`); over 1 s", "HTTP request headers must arrive within this; a RESP command must arrive within this plus its size over --min-data-rate; else the connection is closed.", (o, v) => limits(o).RequestTimeout = Duration(v, "--request-timeout")),
        new("--min-data-rate", "240", "bytes per second", "Slowest a client may send an HTTP request body or take replies once --request-timeout or --output-timeout has passed; slower is disconnected.", (o, v) => limits(o).MinDataRate = Int(v, "--min-data-rate")),
        new("--output-timeout", "30", "seconds (or `1500ms`); over 1 s", "How long replies may wait for a client that does not read them (or their size over --min-data-rate, when longer) before the connection is closed.", (o, v) => limits(o).OutputTimeout = Duration(v, "--output-timeout")),
    ];
}
