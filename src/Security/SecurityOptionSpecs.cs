using KubeCache.Configuration;
using static KubeCache.Configuration.OptionParsers;

namespace KubeCache.Security;

/// <summary>The security flags, shared by the node's and the router's option tables so both spell them the same.</summary>
public static class SecurityOptionSpecs
{
    /// <param name="security">Finds the <see cref="SecurityOptions"/> inside a process's options.</param>
    public static IEnumerable<OptionSpec<TOptions>> For<TOptions>(Func<TOptions, SecurityOptions> security) =>
    [
        new("--auth-keys-file", "none (authentication off)", "path", "API keys, one per line (`#` comments); every key listed is accepted. Re-read when it changes.", (o, v) => security(o).AuthKeysFile = v),
        new("--auth-metrics", "false", "true/false", "Require a key for `/metrics` too.", (o, v) => security(o).AuthMetrics = Bool(v, "--auth-metrics")),
        new("--auth-max-failures", "10", "attempts", "Failed authentications one client address may make per window before it is refused (429, or RESP error and close); 0 = no limit.", (o, v) => security(o).AuthMaxFailures = Int(v, "--auth-max-failures")),
        new("--auth-failure-window", "60", "seconds (or `500ms`)", "Window of --auth-max-failures.", (o, v) => security(o).AuthFailureWindow = Duration(v, "--auth-failure-window")),
        new("--auth-preauth-max-arguments", "10", "arguments", "Most arguments in one RESP command before the connection authenticates (Redis's bound); more is a protocol error and closes the connection.", (o, v) => security(o).PreAuthMaxArguments = Int(v, "--auth-preauth-max-arguments")),
        new("--auth-preauth-max-bulk-bytes", "16384", "bytes", "Largest RESP bulk string before the connection authenticates (Redis's bound); larger is a protocol error and closes the connection.", (o, v) => security(o).PreAuthMaxBulkBytes = (int)Bytes(v, "--auth-preauth-max-bulk-bytes", int.MaxValue)),
        new("--secrets-poll-interval", "10", "seconds (or `500ms`)", "How often the keys file and the TLS files are checked for changes.", (o, v) => security(o).SecretsPollInterval = Duration(v, "--secrets-poll-interval")),
        new("--tls-cert-file", "none (no TLS)", "path", "PEM certificate chain for the TLS listeners (cert-manager `tls.crt`). Re-read when it changes.", (o, v) => security(o).TlsCertFile = v),
        new("--tls-key-file", "none", "path", "PEM private key of --tls-cert-file (`tls.key`).", (o, v) => security(o).TlsKeyFile = v),
        new("--tls-ca-file", "none (system roots)", "path", "PEM CA that peers' certificates are verified against (`ca.crt`).", (o, v) => security(o).TlsCaFile = v),
        new("--tls-http-port", "0 (none)", "port", "HTTPS listener (RESP over TLS is also accepted here), beside the plain one.", (o, v) => security(o).TlsHttpPort = Int(v, "--tls-http-port")),
        new("--tls-resp-port", "0 (none)", "port", "RESP-over-TLS listener, beside the plain one.", (o, v) => security(o).TlsRespPort = Int(v, "--tls-resp-port")),
        new("--peer-tls", "false", "true/false", "Connect to nodes (router upstream, handoff) with TLS, verifying their certificates.", (o, v) => security(o).PeerTls = Bool(v, "--peer-tls")),
        new("--peer-tls-port", "0 (the ring's RESP port)", "port", "Port of the nodes' TLS RESP listener, when it is not the ring address's port.", (o, v) => security(o).PeerTlsPort = Int(v, "--peer-tls-port")),
    ];
}
