using KubeCache.HttpContract;
using Microsoft.AspNetCore.Http;

namespace KubeCache.ClientContract.Http;

/// <summary>
/// The reference-compatible key API, the same on nodes and routers: /put (/set), /get, /delete,
/// /batch_set and /batch_get — paths, methods, validation, messages and reply shapes — over an
/// <see cref="IKeyBackend"/>.
/// </summary>
public sealed class KeyEndpoints(IKeyBackend backend, int missStatus)
{
    public const string PutMessage = "Key inserted/updated successfully.";
    public const string MissMessage = "Key not found.";

    /// <summary>The largest expiry a node stores (Unix ms in 47 bits); a ttl reaching it is refused.</summary>
    public const double MaxTtlMilliseconds = (1L << 47) - 1;

    public IEnumerable<HttpEndpoint> Endpoints =>
    [
        new("/put", "put", ["POST", "PUT"], PutAsync),
        new("/set", "set", ["POST", "PUT"], PutAsync),
        new("/get", "get", ["GET", "HEAD"], GetAsync),
        new("/delete", "delete", ["DELETE", "POST"], DeleteAsync),
        new("/batch_set", "batch_set", ["POST", "PUT"], BatchSetAsync),
        new("/batch_get", "batch_get", ["GET", "POST"], BatchGetAsync),
    ];

    /// <summary>A ttl in whole milliseconds, rounded up; null without one.</summary>
    public static long? TtlMilliseconds(JsonItem item) => item.Ttl is { } seconds ? (long)Math.Ceiling(seconds * 1000) : null;

    private async ValueTask<int> PutAsync(HttpContext context)
    {
        JsonItem item = await HttpReplies.ReadBodyAsync(context, JsonRequest.ReadItem).ConfigureAwait(false);
        return HttpReplies.Write(context, await PutAsync(item, context.RequestAborted).ConfigureAwait(false));
    }

    /// <summary>/put of one item, read from its body; the caller sends the reply.</summary>
    public async ValueTask<HttpReply> PutAsync(JsonItem item, CancellationToken cancellationToken)
    {
        if (Validate(item) is { } problem)
        {
            return HttpReplies.Error(StatusCodes.Status400BadRequest, problem);
        }

        HttpFailure? failure = await backend.SetAsync([item], cancellationToken).ConfigureAwait(false);
        return Reply(failure, PutMessage);
    }

    private async ValueTask<int> GetAsync(HttpContext context)
    {
        byte[]? key = QueryParameters.Get(context.Request.QueryString.Value, "key");
        return HttpReplies.Write(context, await GetAsync(key, context.RequestAborted).ConfigureAwait(false));
    }

    /// <summary>/get of <paramref name="key"/> (null: the query has none); the caller sends the reply.</summary>
    public async ValueTask<HttpReply> GetAsync(byte[]? key, CancellationToken cancellationToken)
    {
        if (ValidateKey(key, "/get?key=K") is { } problem)
        {
            return HttpReplies.Error(StatusCodes.Status400BadRequest, problem);
        }

        KeyRead read = await backend.GetAsync(key!, cancellationToken).ConfigureAwait(false);
        if (read.Failure is { } failure)
        {
            return HttpReplies.Error(failure.Status, failure.Message);
        }

        if (read.Value is not { } value)
        {
            return HttpReplies.Error(missStatus, MissMessage);
        }

        JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, "OK"u8);
        reply.WriteUtf8String("key"u8, key);
        reply.WriteUtf8String("value"u8, value.Span);
        reply.Writer.WriteEndObject();
        return new HttpReply(StatusCodes.Status200OK, reply);
    }

    private async ValueTask<int> DeleteAsync(HttpContext context)
    {
        byte[]? key = QueryParameters.Get(context.Request.QueryString.Value, "key");
        if (ValidateKey(key, "/delete?key=K") is { } problem)
        {
            return HttpReplies.WriteError(context, StatusCodes.Status400BadRequest, problem);
        }

        (bool deleted, HttpFailure? failure) = await backend.DeleteAsync(key!, context.RequestAborted).ConfigureAwait(false);
        return failure is not null ? HttpReplies.Write(context, Reply(failure, ""))
            : deleted ? HttpReplies.WriteOk(context, "Key deleted.")
            : HttpReplies.WriteError(context, missStatus, MissMessage);
    }

    /// <summary>Validates every item before storing any, so a bad batch changes nothing.</summary>
    private async ValueTask<int> BatchSetAsync(HttpContext context)
    {
        List<JsonItem> items = await HttpReplies.ReadBodyAsync(context, JsonRequest.ReadItems).ConfigureAwait(false);
        for (int i = 0; i < items.Count; i++)
        {
            if (Validate(items[i]) is { } problem)
            {
                return HttpReplies.WriteError(context, StatusCodes.Status400BadRequest, $"items[{i}]: {problem}");
            }
        }

        HttpFailure? failure = await backend.SetAsync(items, context.RequestAborted).ConfigureAwait(false);
        return HttpReplies.Write(context, Reply(failure, $"{items.Count} keys inserted/updated successfully."));
    }

    /// <summary>GET /batch_get?keys=a,b or POST {"keys":[…]}: values found, in request order, and the keys missing.</summary>
    private async ValueTask<int> BatchGetAsync(HttpContext context)
    {
        List<byte[]> keys;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            byte[]? list = QueryParameters.Get(context.Request.QueryString.Value, "keys");
            if (list is null)
            {
                return HttpReplies.WriteError(context, StatusCodes.Status400BadRequest, "Query parameter keys is missing; use /batch_get?keys=a,b.");
            }

            keys = SplitKeys(list);
        }
        else
        {
            keys = await HttpReplies.ReadBodyAsync(context, JsonRequest.ReadKeys).ConfigureAwait(false);
        }

        foreach (byte[] key in keys)
        {
            if (ValidateKey(key, "keys") is { } problem)
            {
                return HttpReplies.WriteError(context, StatusCodes.Status400BadRequest, problem);
            }
        }

        var values = new ReadOnlyMemory<byte>?[keys.Count];
        if (await backend.GetManyAsync(keys, values, context.RequestAborted).ConfigureAwait(false) is { } failure)
        {
            return HttpReplies.WriteError(context, failure.Status, failure.Message);
        }

        return WriteBatchGet(context, keys, values);
    }

    private static int WriteBatchGet(HttpContext context, List<byte[]> keys, ReadOnlyMemory<byte>?[] values)
    {
        JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, "OK"u8);
        reply.Writer.WriteStartObject("values"u8);
        for (int i = 0; i < keys.Count; i++)
        {
            if (values[i] is { } value)
            {
                reply.WriteUtf8PropertyName(keys[i]);
                reply.WriteUtf8StringValue(value.Span);
            }
        }

        reply.Writer.WriteEndObject();
        reply.Writer.WriteStartArray("missing"u8);
        for (int i = 0; i < keys.Count; i++)
        {
            if (values[i] is null)
            {
                reply.WriteUtf8StringValue(keys[i]);
            }
        }

        reply.Writer.WriteEndArray();
        reply.Writer.WriteEndObject();
        return HttpReplies.Write(context, StatusCodes.Status200OK, reply);
    }

    private static HttpReply Reply(HttpFailure? failure, string done) =>
        failure is { } f ? HttpReplies.Error(f.Status, f.Message) : HttpReplies.Ok(done);

    private static List<byte[]> SplitKeys(byte[] list)
    {
        var keys = new List<byte[]>();
        int start = 0;
        for (int i = 0; i <= list.Length; i++)
        {
            if (i == list.Length || list[i] == (byte)',')
            {
                keys.Add(list[start..i]);
                start = i + 1;
            }
        }

        return keys;
    }

    private string? ValidateKey(byte[]? key, string usage) =>
        key is null ? $"Query parameter key is missing; use {usage}."
        : key.Length == 0 ? "key must not be empty."
        : backend.CheckLimits(key.Length, -1) is { } limit ? limit + "."
        : null;

    private string? Validate(JsonItem item) =>
        item.Key.Length == 0 ? "key must not be empty."
        : item.Value is null ? "value is missing; send {\"key\":\"k\",\"value\":\"v\"}."
        : backend.CheckLimits(item.Key.Length, item.Value.Length) is { } limit ? limit + "."
        : item.Ttl is { } ttl && !(ttl > 0 && ttl * 1000 < MaxTtlMilliseconds) ? "ttl must be a positive number of seconds."
        : null;
}
