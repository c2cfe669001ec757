using KubeCache.Configuration;
using KubeCache.Hosting.Limits;
using KubeCache.Security;
using static KubeCache.Configuration.OptionParsers;

namespace KubeCache.Hosting.Options;

/// <summary>
/// The flags of <see cref="ServerOptions"/>, spelled once for every server process: a node's and
/// a router's option tables splice these groups in, so the flags, KVCACHE_* variables, --help and
/// the README rows cannot drift apart between them.
/// </summary>
public static class ServerOptionSpecs
{
    /// <summary>--http-port, --resp-port and --bind.</summary>
    public static IEnumerable<OptionSpec<TOptions>> Listeners<TOptions>()
        where TOptions : ServerOptions =>
    [
        new("--http-port", "7171", "port", "HTTP API port; RESP is also accepted here (first byte `*`). 0 turns plain HTTP off when --tls-http-port is set.", (o, v) => o.HttpPort = Int(v, "--http-port")),
        new("--resp-port", "6379", "port", "RESP (Redis protocol) port; 0 disables it.", (o, v) => o.RespPort = Int(v, "--resp-port")),
        new("--bind", "0.0.0.0", "IP address", "Address both listeners bind to.", (o, v) => o.Bind = v),
    ];

    /// <summary>Where the ring comes from: --ring-file, --ring-configmap, --namespace and --ring-poll-interval.</summary>
    /// <param name="ringFileDefault">What the process does without a ring file, for the Default column.</param>
    /// <param name="ringFileMeaning">What the ring file does in this process.</param>
    public static IEnumerable<OptionSpec<TOptions>> Ring<TOptions>(string ringFileDefault, string ringFileMeaning)
        where TOptions : ServerOptions =>
    [
        new("--ring-file", ringFileDefault, "path", ringFileMeaning, (o, v) => o.RingFile = v),
        new("--ring-configmap", "none", "name", "ConfigMap whose `ring.json` key is the ring to follow through the Kubernetes API (in-cluster service account, else KUBECONFIG); exclusive with --ring-file.", (o, v) => o.RingConfigMap = v),
        new("--namespace", "the pod's namespace (service-account `namespace` file), else `default`", "name", "Namespace of --ring-configmap.", (o, v) => o.Namespace = v),
        new("--ring-poll-interval", "1", "seconds (or `500ms`)", "How often the ring file is checked for changes.", (o, v) => o.RingPollInterval = Duration(v, "--ring-poll-interval")),
    ];

    /// <summary>What a client may send and how long it may take: the HTTP and RESP request limits and <see cref="ConnectionLimitSpecs"/>.</summary>
    public static IEnumerable<OptionSpec<TOptions>> Requests<TOptions>()
        where TOptions : ServerOptions =>
    [
        new("--miss-status", "404", "HTTP status", "Status of `GET /get` for a missing key: 404, or 200 for clients that count 404 as failure.", (o, v) => o.MissStatus = Int(v, "--miss-status")),
        new("--max-body-bytes", "16777216", "bytes", "Largest HTTP request body; larger gets 413.", (o, v) => o.MaxBodyBytes = Bytes(v, "--max-body-bytes")),
        new("--resp-max-bulk-bytes", "16777216", "bytes", "Largest RESP bulk string a client may send; larger is a protocol error and closes the connection.", (o, v) => o.RespMaxBulkBytes = (int)Bytes(v, "--resp-max-bulk-bytes", int.MaxValue)),
        new("--resp-max-array-length", "1048576", "arguments", "Most arguments in one RESP command.", (o, v) => o.RespMaxArrayLength = Int(v, "--resp-max-array-length")),
        new("--resp-output-buffer-bytes", "262144", "bytes", "Unflushed RESP reply bytes per connection before replies are flushed mid-pipeline.", (o, v) => o.RespOutputBufferBytes = (int)Bytes(v, "--resp-output-buffer-bytes", int.MaxValue)),
        new("--resp-max-transaction-bytes", "64mb", "bytes", "What one RESP connection may hold in a transaction: its queued commands plus its WATCHed keys; a command past it is refused and EXEC aborts.", (o, v) => o.RespMaxTransactionBytes = Bytes(v, "--resp-max-transaction-bytes", long.MaxValue)),
        .. ConnectionLimitSpecs.For<TOptions>(o => o.Limits),
    ];

    /// <summary>--io-threads: the process's transport (<see cref="ServerOptions.IoThreads"/>).</summary>
    /// <param name="defaultThreads">The process's default (its options class holds the same value).</param>
    public static OptionSpec<TOptions> IoThreads<TOptions>(string defaultThreads)
        where TOptions : ServerOptions =>
        new("--io-threads", defaultThreads, "threads",
            "Event-loop threads of the process's own that read and write client connections (Linux, x86-64 and Arm64), each connection on one; 0 serves them with .NET's socket engine, as on other systems. A loop uses at most one core: give a process that has more CPUs and many busy clients one loop per CPU.",
            (o, v) => o.IoThreads = Int(v, "--io-threads"));

    /// <summary>
    /// --shutdown-delay, for a process that clients reach through a Service: how long it keeps
    /// serving after SIGTERM, with /readyz 503, so the Service's endpoints drop it first.
    /// </summary>
    /// <param name="defaultSeconds">The process's default (its options class holds the same value).</param>
    public static OptionSpec<TOptions> ShutdownDelay<TOptions>(string defaultSeconds)
        where TOptions : ServerOptions =>
        new("--shutdown-delay", defaultSeconds, "seconds (or `500ms`)",
            "How long SIGTERM keeps the process serving, with `/readyz` answering 503, before it stops accepting connections and drains them (--shutdown-timeout); long enough for the Service's endpoints to drop the pod.",
            (o, v) => o.ShutdownDelay = Duration(v, "--shutdown-delay"));

    /// <summary>--shutdown-timeout and the security flags (<see cref="SecurityOptionSpecs"/>).</summary>
    public static IEnumerable<OptionSpec<TOptions>> ShutdownAndSecurity<TOptions>()
        where TOptions : ServerOptions =>
    [
        new("--shutdown-timeout", "10", "seconds", "How long SIGTERM waits for open requests to finish (on a router, after --shutdown-delay): HTTP keep-alive connections close after their current response, idle RESP connections between batches; what is still open then is closed.", (o, v) => o.ShutdownTimeout = Duration(v, "--shutdown-timeout")),
        .. SecurityOptionSpecs.For<TOptions>(o => o.Security),
    ];
}
