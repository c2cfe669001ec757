using System.Collections;
using System.Globalization;
using KubeCache.Configuration;
using KubeCache.Hosting.Options;
using static KubeCache.Configuration.OptionParsers;

namespace KubeCache.Router.Options;

/// <summary>The router's flags and KVCACHE_* variables; --help and the README table come from here.</summary>
public static class RouterOptionTable
{
    public static OptionTable<RouterOptions> Table { get; } = new(
        "KubeCache.Router",
        [.. Specs<RouterOptions>(), ServerOptionSpecs.ShutdownDelay<RouterOptions>(RouterOptions.DefaultShutdownDelaySeconds.ToString(CultureInfo.InvariantCulture))],
        options => options.Validate(),
        new Dictionary<string, string>
        {
            ["--local-nodes"] = "a local cluster runs from its own launcher, `dotnet run -c Release --project src/Local -- --local-nodes 3` (README, first command).",
        });

    public static RouterOptions Parse(IReadOnlyList<string> args, IDictionary environment) => Table.Parse(args, environment);

    /// <summary>
    /// The router's flags, for any process that runs a router (local mode adds its own). The
    /// router process adds --shutdown-delay: local mode's router is reached directly, not through a Service.
    /// </summary>
    public static IEnumerable<OptionSpec<TOptions>> Specs<TOptions>()
        where TOptions : RouterOptions =>
    [
        .. ServerOptionSpecs.Listeners<TOptions>(),
        ServerOptionSpecs.IoThreads<TOptions>("1"),
        .. ServerOptionSpecs.Ring<TOptions>("none", "Ring document (JSON) to follow; one of --ring-configmap and --ring-file is required."),
        .. ServerOptionSpecs.Requests<TOptions>(),
        new("--upstream-connections", "2", "connections", "Pipelined connections to each node, at most: requests share the first, and the next takes them while those before it carry a large value (64 KiB or more on its way).", (o, v) => o.UpstreamConnections = Int(v, "--upstream-connections")),
        new("--upstream-connect-timeout", "500ms", "seconds (or `500ms`)", "How long a TCP connection to a node may take before the node is marked down; the TLS and AUTH handshake after it gets --upstream-timeout.", (o, v) => o.UpstreamConnectTimeout = Duration(v, "--upstream-connect-timeout")),
        new("--upstream-timeout", "1", "seconds (or `500ms`)", "How long a node may stay silent while it owes a reply (counted from sending the request or from the last bytes received) before its requests fail and it is marked down; a large reply that keeps arriving is not cut off.", (o, v) => o.UpstreamTimeout = Duration(v, "--upstream-timeout")),
        new("--upstream-keepalive", "60", "seconds (or `500ms`)", "A pooled connection to a node that carried no request for this long sends a PING, so the node (--idle-timeout) does not close it.", (o, v) => o.UpstreamKeepAlive = Duration(v, "--upstream-keepalive")),
        .. ServerOptionSpecs.ShutdownAndSecurity<TOptions>(),
    ];
}
