using KubeCache.Hosting.Limits;
using KubeCache.Protocol;
using KubeCache.Security;

namespace KubeCache.Hosting.Auth;

/// <summary>
/// What a RESP connection may send, before and after it authenticates. Until then a client
/// without a key could make the server buffer a whole frame of the full limits (a million
/// arguments of 16 MiB), so, as Redis does, an unauthenticated connection gets small bounds
/// (--auth-preauth-max-arguments, --auth-preauth-max-bulk-bytes) that AUTH and HELLO fit in.
/// </summary>
public sealed class RespAuthLimits
{
    public RespAuthLimits(RespLimits authenticated, SecurityOptions security)
    {
        Authenticated = authenticated;
        Unauthenticated = new RespLimits
        {
            MaxArrayLength = Math.Min(authenticated.MaxArrayLength, security.PreAuthMaxArguments),
            MaxBulkBytes = Math.Min(authenticated.MaxBulkBytes, security.PreAuthMaxBulkBytes),
            MaxInlineBytes = Math.Min(authenticated.MaxInlineBytes, security.PreAuthMaxBulkBytes),
        };
    }

    /// <summary>The server's own limits (--resp-max-bulk-bytes, --resp-max-array-length).</summary>
    public RespLimits Authenticated { get; }

    /// <summary>The limits until the connection authenticates.</summary>
    public RespLimits Unauthenticated { get; }

    public RespLimits For(bool authenticated) => authenticated ? Authenticated : Unauthenticated;

    /// <summary>
    /// Counts a refused frame in <c>kvcache_requests_rejected_total</c> (reason
    /// <c>resp_unauthenticated</c> before AUTH, <c>resp_frame</c> after) when it broke a limit, and
    /// returns the reply's message in Redis's wording.
    /// </summary>
    public static string Refuse(RespReadError error, bool authenticated, LimitMetrics metrics)
    {
        if (!error.OverLimit)
        {
            return error.Message;
        }

        metrics.RequestRejected(authenticated ? RequestLimit.RespFrame : RequestLimit.RespUnauthenticated);
        return (authenticated, error.Kind) switch
        {
            (false, RespErrorKind.InvalidMultibulkLength) => "Protocol error: unauthenticated multibulk length",
            (false, RespErrorKind.InvalidBulkLength) => "Protocol error: unauthenticated bulk length",
            _ => error.Message,
        };
    }
}
