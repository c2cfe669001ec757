using System.Globalization;
using System.Text;
using KubeCache.HttpContract;
using KubeCache.Protocol;

namespace KubeCache.Router.Http;

/// <summary>/put (/set), /get and /delete, and the checks and replies the batch endpoints share with them.</summary>
public sealed partial class KeyEndpoints
{
    private const string PutMessage = "Key inserted/updated successfully.";
    private const string MissMessage = "Key not found.";

    /// <summary>The largest expiry a node stores (Unix ms in 47 bits); a node's HTTP API rejects a ttl reaching it, and so does the router.</summary>
    private const double MaxTtlMilliseconds = (1L << 47) - 1;

    private static readonly ReadOnlyMemory<byte> Set = "SET"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Get = "GET"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Del = "DEL"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Px = "PX"u8.ToArray();

    private async ValueTask<int> PutAsync(HttpContext context)
    {
        JsonItem item = await HttpReplies.ReadBodyAsync(context, JsonRequest.ReadItem).ConfigureAwait(false);
        if (Validate(item) is { } problem)
        {
            return HttpReplies.WriteError(context, StatusCodes.Status400BadRequest, problem);
        }

        RespValue reply = await _router.SendAsync(SetCommand(item), context.RequestAborted).ConfigureAwait(false);
        return reply.IsError ? WriteNodeError(context, reply) : HttpReplies.WriteOk(context, PutMessage);
    }

    private async ValueTask<int> GetAsync(HttpContext context)
    {
        byte[]? key = QueryParameters.Get(context.Request.QueryString.Value, "key");
        if (ValidateKey(key, "/get?key=K") is { } problem)
        {
            return HttpReplies.WriteError(context, StatusCodes.Status400BadRequest, problem);
        }

        RespValue value = await _router.SendAsync([Get, key], context.RequestAborted).ConfigureAwait(false);
        if (value.IsError)
        {
            return WriteNodeError(context, value);
        }

        if (value.IsNull)
        {
            return HttpReplies.WriteError(context, _options.MissStatus, MissMessage);
        }

        JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, "OK"u8);
        reply.WriteUtf8String("key"u8, key);
        reply.WriteUtf8String("value"u8, value.Bytes.Span);
        reply.Writer.WriteEndObject();
        return HttpReplies.Write(context, StatusCodes.Status200OK, reply);
    }

    private async ValueTask<int> DeleteAsync(HttpContext context)
    {
        byte[]? key = QueryParameters.Get(context.Request.QueryString.Value, "key");
        if (ValidateKey(key, "/delete?key=K") is { } problem)
        {
            return HttpReplies.WriteError(context, StatusCodes.Status400BadRequest, problem);
        }

        RespValue deleted = await _router.SendAsync([Del, key], context.RequestAborted).ConfigureAwait(false);
        return deleted.IsError ? WriteNodeError(context, deleted)
            : deleted.AsInt64() > 0 ? HttpReplies.WriteOk(context, "Key deleted.")
            : HttpReplies.WriteError(context, _options.MissStatus, MissMessage);
    }

    private static string? ValidateKey(byte[]? key, string usage) =>
        key is null ? $"Query parameter key is missing; use {usage}."
        : key.Length == 0 ? "key must not be empty."
        : null;

    /// <summary>The checks a node makes before writing that need no node limits; the node checks the limits.</summary>
    private static string? Validate(JsonItem item) =>
        item.Key.Length == 0 ? "key must not be empty."
        : item.Value is null ? "value is missing; send {\"key\":\"k\",\"value\":\"v\"}."
        : item.Ttl is { } ttl && !(ttl > 0 && ttl * 1000 < MaxTtlMilliseconds) ? "ttl must be a positive number of seconds."
        : null;

    /// <summary><c>SET key value</c>, with <c>PX</c> rounded up to whole milliseconds when a ttl is given.</summary>
    private static ReadOnlyMemory<byte>[] SetCommand(JsonItem item)
    {
        if (item.Ttl is not { } seconds)
        {
            return [Set, item.Key, item.Value!];
        }

        long milliseconds = (long)Math.Ceiling(seconds * 1000);
        return [Set, item.Key, item.Value!, Px, Encoding.ASCII.GetBytes(milliseconds.ToString(CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// A node's error reply as a node's HTTP API words it: the Redis error code dropped and a full
    /// stop added; 507 for an entry the node has no room for (<c>-OOM</c>), 503 for a key whose
    /// previous owner could not be reached (<c>-TRYAGAIN</c>: retrying succeeds once it can), else
    /// 400, since the other errors a node gives to these commands are limits the request broke.
    /// </summary>
    private static int WriteNodeError(HttpContext context, RespValue error)
    {
        string text = error.AsString() ?? "the node refused the request";
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        string code = space > 0 ? text[..space] : "";
        string message = code.Length > 0 && code.All(char.IsAsciiLetterUpper) ? text[(space + 1)..] : text;
        int status = code switch
        {
            "OOM" => StatusCodes.Status507InsufficientStorage,
            "TRYAGAIN" => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
        return HttpReplies.WriteError(context, status, message.EndsWith('.') ? message : message + ".");
    }
}
