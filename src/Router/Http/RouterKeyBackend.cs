using System.Globalization;
using System.Text;
using KubeCache.ClientContract.Http;
using KubeCache.HttpContract;
using KubeCache.Protocol;
using KubeCache.Router.Routing;

namespace KubeCache.Router.Http;

/// <summary>
/// The key API over the key router: each request becomes RESP commands to the owner
/// nodes of its keys.
/// </summary>
/// <remarks>
/// Key and value limits are the nodes' own: a node's <c>-ERR</c> for one comes back as a 400 with
/// the node's message. A key over the node's limit reads as a miss (a node answers GET of one with
/// nil over RESP), where the node's own HTTP API answers 400. A node that cannot answer, or no
/// ring yet, surfaces as an exception that <see cref="RouterHttpApi"/> answers with 503.
/// </remarks>
public sealed partial class RouterKeyBackend(KeyRouter router) : IKeyBackend
{
    private static readonly ReadOnlyMemory<byte> Set = "SET"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Get = "GET"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Del = "DEL"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Px = "PX"u8.ToArray();

    /// <summary>None here: the nodes check their own limits.</summary>
    public string? CheckLimits(int keyBytes, int valueBytes) => null;

    public async ValueTask<HttpFailure?> SetAsync(IReadOnlyList<JsonItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 1)
        {
            RespValue reply = await router.SendAsync(SetCommand(items[0]), cancellationToken).ConfigureAwait(false);
            return reply.IsError ? NodeError(reply) : null;
        }

        return await SetManyAsync(items, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<KeyRead> GetAsync(byte[] key, CancellationToken cancellationToken)
    {
        RespValue value = await router.SendAsync([Get, key], cancellationToken).ConfigureAwait(false);
        return value.IsError ? new KeyRead(null, NodeError(value))
            : new KeyRead(value.IsNull ? KeyRead.Missing : value.Bytes, null);
    }

    public async ValueTask<(bool Deleted, HttpFailure? Failure)> DeleteAsync(byte[] key, CancellationToken cancellationToken)
    {
        RespValue deleted = await router.SendAsync([Del, key], cancellationToken).ConfigureAwait(false);
        return deleted.IsError ? (false, NodeError(deleted)) : (deleted.AsInt64() > 0, null);
    }

    /// <summary><c>SET key value</c>, with <c>PX</c> rounded up to whole milliseconds when a ttl is given.</summary>
    private static ReadOnlyMemory<byte>[] SetCommand(JsonItem item) =>
        KeyEndpoints.TtlMilliseconds(item) is { } milliseconds
            ? [Set, item.Key, item.Value!, Px, Encoding.ASCII.GetBytes(milliseconds.ToString(CultureInfo.InvariantCulture))]
            : [Set, item.Key, item.Value!];

    /// <summary>
    /// A node's error reply as a node's HTTP API words it: the Redis error code dropped and a full
    /// stop added; 409 for a key holding a hash (<c>-WRONGTYPE</c>, worded as a node words it), 507 for an entry the node has no room for (<c>-OOM</c>), 503 for a key whose
    /// previous owner could not be reached (<c>-TRYAGAIN</c>: retrying succeeds once it can), else
    /// 400, since the other errors a node gives to these commands are limits the request broke.
    /// </summary>
    private static HttpFailure NodeError(RespValue error)
    {
        string text = error.AsString() ?? "the node refused the request";
        if (text.StartsWith("WRONGTYPE ", StringComparison.Ordinal))
        {
            return HttpFailure.HoldsHash;
        }

        int space = text.IndexOf(' ', StringComparison.Ordinal);
        string code = space > 0 ? text[..space] : "";
        string message = code.Length > 0 && code.All(char.IsAsciiLetterUpper) ? text[(space + 1)..] : text;
        int status = code switch
        {
            "OOM" => StatusCodes.Status507InsufficientStorage,
            "TRYAGAIN" => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
        return new HttpFailure(status, message.EndsWith('.') ? message : message + ".");
    }
}
