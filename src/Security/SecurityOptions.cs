using KubeCache.Configuration;

namespace KubeCache.Security;

/// <summary>
/// API keys and TLS settings, the same for nodes and routers (<see cref="SecurityOptionSpecs"/>
/// gives both processes the same flags). Each default lives here once, with its unit.
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>Default <see cref="AuthMaxFailures"/>: 10 failed attempts per window per client address.</summary>
    public const int DefaultAuthMaxFailures = 10;

    /// <summary>
    /// Most arguments in one RESP command before the connection authenticates. Default 10, Redis's
    /// bound for unauthenticated clients: AUTH and HELLO 3 AUTH user key need at most 5.
    /// </summary>
    public int PreAuthMaxArguments { get; set; } = 10;

    /// <summary>Largest RESP bulk string, in bytes, before the connection authenticates. Default 16384, Redis's bound: room for any API key.</summary>
    public int PreAuthMaxBulkBytes { get; set; } = 16 * 1024;

    /// <summary>API keys file (one per line, <c>#</c> comments); null (default) leaves authentication off.</summary>
    public string? AuthKeysFile { get; set; }

    /// <summary>Whether <c>/metrics</c> needs a key too. Default false: Prometheus scrapes without one.</summary>
    public bool AuthMetrics { get; set; }

    /// <summary>Failed attempts one client address may make per <see cref="AuthFailureWindow"/>; 0 turns the limit off. Default 10.</summary>
    public int AuthMaxFailures { get; set; } = DefaultAuthMaxFailures;

    /// <summary>The window the failure limit counts in, and how long a limited address waits. Default 60 s.</summary>
    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often the keys file and the certificate files are read for changes. Default 10 s: a
    /// Secret volume is updated within about a minute, so rotation waits on Kubernetes, not on this.
    /// </summary>
    public TimeSpan SecretsPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>PEM certificate (chain, leaf first) served by the TLS listeners, e.g. cert-manager's tls.crt; null = no TLS.</summary>
    public string? TlsCertFile { get; set; }

    /// <summary>PEM private key of <see cref="TlsCertFile"/> (tls.key).</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>PEM CA certificate(s) that node certificates are verified against (ca.crt); null trusts the system's roots.</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>HTTPS port (RESP over TLS is accepted here too); 0 (default) = none.</summary>
    public int TlsHttpPort { get; set; }

    /// <summary>RESP-over-TLS port; 0 (default) = none.</summary>
    public int TlsRespPort { get; set; }

    /// <summary>Whether connections to other nodes (router upstream, node handoff) use TLS. Default false.</summary>
    public bool PeerTls { get; set; }

    /// <summary>Port that peers' TLS RESP is reached on; 0 (default) = the ring address's own port.</summary>
    public int PeerTlsPort { get; set; }

    /// <summary>True when a certificate is configured, so TLS listeners can be opened.</summary>
    public bool TlsEnabled => TlsCertFile is not null;

    /// <summary>Throws <see cref="OptionException"/> naming the flag when a value cannot work.</summary>
    public void Validate()
    {
        if ((TlsCertFile is null) != (TlsKeyFile is null))
        {
            throw new OptionException(TlsCertFile is null ? "--tls-cert-file" : "--tls-key-file", "--tls-cert-file and --tls-key-file go together.");
        }

        if (!TlsEnabled && (TlsHttpPort != 0 || TlsRespPort != 0))
        {
            throw new OptionException(TlsHttpPort != 0 ? "--tls-http-port" : "--tls-resp-port", "needs --tls-cert-file and --tls-key-file.");
        }

        foreach ((string flag, int port) in new[] { ("--tls-http-port", TlsHttpPort), ("--tls-resp-port", TlsRespPort), ("--peer-tls-port", PeerTlsPort) })
        {
            if (port is < 0 or > 65535)
            {
                throw new OptionException(flag, $"must be a port between 0 and 65535 (got {port}).");
            }
        }

        if (AuthMaxFailures < 0)
        {
            throw new OptionException("--auth-max-failures", $"must be 0 (no limit) or more (got {AuthMaxFailures}).");
        }

        if (PreAuthMaxArguments < 5 || PreAuthMaxBulkBytes < 64)
        {
            throw new OptionException(PreAuthMaxArguments < 5 ? "--auth-preauth-max-arguments" : "--auth-preauth-max-bulk-bytes",
                "is too small for HELLO 3 AUTH default <key> (5 arguments; keys up to 64 bytes at least).");
        }

        if (AuthFailureWindow <= TimeSpan.Zero || SecretsPollInterval <= TimeSpan.Zero)
        {
            throw new OptionException(AuthFailureWindow <= TimeSpan.Zero ? "--auth-failure-window" : "--secrets-poll-interval", "must be positive.");
        }
    }
}
