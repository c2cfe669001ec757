using KubeCache.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace KubeCache.Hosting.Limits;

/// <summary>
/// The connection-level limits a node and a router share: how many connections, how large an
/// HTTP request head may be, and how long a client may stay idle, trickle a request or leave its
/// replies unread. Each default lives here once; the processes' option tables set these
/// properties through <see cref="ConnectionLimitSpecs"/>.
/// </summary>
public sealed class ConnectionLimits
{
    /// <summary>Default <see cref="MaxConnections"/>: 10,000, Redis's <c>maxclients</c> default.</summary>
    public const int DefaultMaxConnections = 10_000;

    /// <summary>Default <see cref="MaxConnectionsPerIp"/>: 1,000, so one address cannot take every slot.</summary>
    public const int DefaultMaxConnectionsPerIp = 1_000;

    /// <summary>Open connections per process, both ports and both protocols. Default 10,000.</summary>
    public int MaxConnections { get; set; } = DefaultMaxConnections;

    /// <summary>Open connections per client IP address; 0 turns the per-address limit off. Default 1,000.</summary>
    public int MaxConnectionsPerIp { get; set; } = DefaultMaxConnectionsPerIp;

    /// <summary>Longest HTTP request line (method, target, version), in bytes; longer gets 414. Default 8 KiB, Kestrel's.</summary>
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>Largest HTTP request head (all headers), in bytes; larger gets 431. Default 32 KiB, Kestrel's.</summary>
    public int MaxHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>Most HTTP request headers; more gets 431. Default 100, Kestrel's.</summary>
    public int MaxHeaderCount { get; set; } = 100;

    /// <summary>
    /// How long a connection may wait for its next request: a RESP connection with no command
    /// arriving, an HTTP keep-alive connection between requests. Default 300 s.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// How long a request may take to arrive once it has started: HTTP request headers, or one RESP
    /// command frame (plus its size over <see cref="MinDataRate"/>); also the grace period of the
    /// HTTP request body rate. Default 30 s, Kestrel's request-headers timeout.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Slowest a client may send a request body or a large RESP frame, or take its replies, in bytes
    /// per second, once the grace period is over. Default 240, Kestrel's.
    /// </summary>
    public int MinDataRate { get; set; } = 240;

    /// <summary>
    /// How long replies may wait for a client that does not read them (or their size over
    /// <see cref="MinDataRate"/>, when longer) before the connection is closed. Default 30 s.
    /// </summary>
    public TimeSpan OutputTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="OptionException"/> naming the flag when a value cannot work.</summary>
    public void Validate()
    {
        Require(MaxConnections >= 1, "--max-connections", $"must be at least 1 (got {MaxConnections}).");
        Require(MaxConnectionsPerIp >= 0, "--max-connections-per-ip", $"must be 0 (no limit) or more (got {MaxConnectionsPerIp}).");
        Require(MaxRequestLineBytes >= 256, "--max-request-line-bytes", $"must be at least 256 (got {MaxRequestLineBytes}).");
        Require(MaxHeaderBytes >= 256, "--max-header-bytes", $"must be at least 256 (got {MaxHeaderBytes}).");
        Require(MaxHeaderCount >= 1, "--max-header-count", $"must be at least 1 (got {MaxHeaderCount}).");
        Require(IdleTimeout > TimeSpan.Zero, "--idle-timeout", "must be positive.");
        Require(MinDataRate >= 1, "--min-data-rate", $"must be at least 1 byte per second (got {MinDataRate}).");

        // Kestrel checks its data rates once a second, so a grace period must be longer than that.
        Require(RequestTimeout > TimeSpan.FromSeconds(1), "--request-timeout", "must be longer than 1 second.");
        Require(OutputTimeout > TimeSpan.FromSeconds(1), "--output-timeout", "must be longer than 1 second.");
    }

    /// <summary>Sets Kestrel's HTTP limits from these; <paramref name="maxBodyBytes"/> is the process's --max-body-bytes.</summary>
    public void ApplyTo(KestrelServerLimits kestrel, long maxBodyBytes)
    {
        kestrel.MaxRequestBodySize = maxBodyBytes;
        kestrel.MaxRequestLineSize = MaxRequestLineBytes;
        kestrel.MaxRequestHeadersTotalSize = MaxHeaderBytes;
        kestrel.MaxRequestHeaderCount = MaxHeaderCount;
        kestrel.KeepAliveTimeout = IdleTimeout;
        kestrel.RequestHeadersTimeout = RequestTimeout;
        kestrel.MinRequestBodyDataRate = new MinDataRate(MinDataRate, RequestTimeout);
        kestrel.MinResponseDataRate = new MinDataRate(MinDataRate, OutputTimeout);

        // The process counts connections itself (ConnectionAdmission), per address as well.
        kestrel.MaxConcurrentConnections = null;
    }

    private static void Require(bool valid, string flag, string problem)
    {
        if (!valid)
        {
            throw new OptionException(flag, problem);
        }
    }
}
