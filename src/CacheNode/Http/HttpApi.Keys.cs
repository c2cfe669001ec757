using KubeCache.CacheNode.Storage;

using KubeCache.HttpContract;

namespace KubeCache.CacheNode.Http;

/// <summary>The key endpoints: /put (/set), /get, /delete, /batch_set, /batch_get.</summary>
public sealed partial class HttpApi
{
    private const string PutMessage = "Key inserted/updated successfully.";
    private const string MissMessage = "Key not found.";

    private async ValueTask<int> PutAsync(HttpContext context)
    {
        JsonItem item = await ReadBodyAsync(context, JsonRequest.ReadItem).ConfigureAwait(false);
        string? problem = Validate(item);
        if (problem is not null)
        {
            return await WriteErrorAsync(context, StatusCodes.Status400BadRequest, problem).ConfigureAwait(false);
        }

        StoreStatus status;
        using (var gate = new GateScope())
        {
            if (await AdmitAsync(context, [item.Key], gate).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            status = _store.Set(item.Key, item.Value, ExpiryOf(item));
        }

        return status == StoreStatus.Ok
            ? await WriteOkAsync(context, PutMessage).ConfigureAwait(false)
            : await WriteStoreErrorAsync(context, status, item).ConfigureAwait(false);
    }

    private async ValueTask<int> GetAsync(HttpContext context)
    {
        byte[]? key = QueryParameters.Get(context.Request.QueryString.Value, "key");
        string? problem = ValidateKey(key, "/get?key=K");
        if (problem is not null)
        {
            return await WriteErrorAsync(context, StatusCodes.Status400BadRequest, problem).ConfigureAwait(false);
        }

        ReadOnlyMemory<byte> value;
        using (var gate = new GateScope())
        {
            if (await AdmitAsync(context, [key!], gate).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            if (_store.Get(key!, out value) != StoreStatus.Ok)
            {
                gate.Dispose();
                return await WriteErrorAsync(context, _options.MissStatus, MissMessage).ConfigureAwait(false);
            }
        }

        JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, "OK"u8);
        reply.WriteUtf8String("key"u8, key!);
        reply.WriteUtf8String("value"u8, value.Span);
        reply.Writer.WriteEndObject();
        return await WriteAsync(context, StatusCodes.Status200OK, reply).ConfigureAwait(false);
    }

    private async ValueTask<int> DeleteAsync(HttpContext context)
    {
        byte[]? key = QueryParameters.Get(context.Request.QueryString.Value, "key");
        string? problem = ValidateKey(key, "/delete?key=K");
        if (problem is not null)
        {
            return await WriteErrorAsync(context, StatusCodes.Status400BadRequest, problem).ConfigureAwait(false);
        }

        StoreStatus status;
        using (var gate = new GateScope())
        {
            if (await AdmitAsync(context, [key!], gate).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            status = _store.Delete(key!);
        }

        return status == StoreStatus.Ok
            ? await WriteOkAsync(context, "Key deleted.").ConfigureAwait(false)
            : await WriteErrorAsync(context, _options.MissStatus, MissMessage).ConfigureAwait(false);
    }

    /// <summary>Validates every item before writing any, so a bad batch changes nothing.</summary>
    private async ValueTask<int> BatchSetAsync(HttpContext context)
    {
        List<JsonItem> items = await ReadBodyAsync(context, JsonRequest.ReadItems).ConfigureAwait(false);
        for (int i = 0; i < items.Count; i++)
        {
            string? problem = Validate(items[i]);
            if (problem is not null)
            {
                return await WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"items[{i}]: {problem}").ConfigureAwait(false);
            }
        }

        using (var gate = new GateScope())
        {
            if (await AdmitAsync(context, [.. items.Select(i => i.Key)], gate).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            foreach (JsonItem item in items)
            {
                StoreStatus status = _store.Set(item.Key, item.Value, ExpiryOf(item));
                if (status != StoreStatus.Ok)
                {
                    gate.Dispose();
                    return await WriteStoreErrorAsync(context, status, item).ConfigureAwait(false);
                }
            }
        }

        return await WriteOkAsync(context, $"{items.Count} keys inserted/updated successfully.").ConfigureAwait(false);
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
                return await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Query parameter keys is missing; use /batch_get?keys=a,b.").ConfigureAwait(false);
            }

            keys = [.. SplitKeys(list)];
        }
        else
        {
            keys = await ReadBodyAsync(context, JsonRequest.ReadKeys).ConfigureAwait(false);
        }

        foreach (byte[] key in keys)
        {
            string? problem = ValidateKey(key, "keys");
            if (problem is not null)
            {
                return await WriteErrorAsync(context, StatusCodes.Status400BadRequest, problem).ConfigureAwait(false);
            }
        }

        using var gate = new GateScope();
        if (await AdmitAsync(context, keys, gate).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, "OK"u8);
        reply.Writer.WriteStartObject("values"u8);
        var missing = new List<byte[]>();
        foreach (byte[] key in keys)
        {
            if (_store.Get(key, out ReadOnlyMemory<byte> value) == StoreStatus.Ok)
            {
                reply.WriteUtf8PropertyName(key);
                reply.WriteUtf8StringValue(value.Span);
            }
            else
            {
                missing.Add(key);
            }
        }

        reply.Writer.WriteEndObject();
        reply.Writer.WriteStartArray("missing"u8);
        foreach (byte[] key in missing)
        {
            reply.WriteUtf8StringValue(key);
        }

        reply.Writer.WriteEndArray();
        reply.Writer.WriteEndObject();
        gate.Dispose();
        return await WriteAsync(context, StatusCodes.Status200OK, reply).ConfigureAwait(false);
    }

    private static IEnumerable<byte[]> SplitKeys(byte[] list)
    {
        int start = 0;
        for (int i = 0; i <= list.Length; i++)
        {
            if (i == list.Length || list[i] == (byte)',')
            {
                yield return list[start..i];
                start = i + 1;
            }
        }
    }

    private string? ValidateKey(byte[]? key, string usage) =>
        key is null ? $"Query parameter key is missing; use {usage}."
        : key.Length == 0 ? "key must not be empty."
        : key.Length > _options.MaxKeyBytes ? StoreStatusMessages.Describe(StoreStatus.KeyTooLarge, _store.Options, key.Length) + "."
        : null;

    private string? Validate(JsonItem item)
    {
        if (item.Key.Length == 0)
        {
            return "key must not be empty.";
        }

        if (item.Value is null)
        {
            return "value is missing; send {\"key\":\"k\",\"value\":\"v\"}.";
        }

        StoreStatus limits = item.Key.Length > _options.MaxKeyBytes ? StoreStatus.KeyTooLarge
            : item.Value.Length > _options.MaxValueBytes ? StoreStatus.ValueTooLarge
            : StoreStatus.Ok;
        if (limits != StoreStatus.Ok)
        {
            return StoreStatusMessages.Describe(limits, _store.Options, item.Key.Length, item.Value.Length) + ".";
        }

        return item.Ttl is { } ttl && !(ttl > 0 && ttl * 1000 < Entry.MaxExpiresAt)
            ? "ttl must be a positive number of seconds."
            : null;
    }

    private static Expiry ExpiryOf(JsonItem item) =>
        item.Ttl is { } seconds ? Expiry.After((long)Math.Ceiling(seconds * 1000)) : Expiry.Default;

    private ValueTask<int> WriteStoreErrorAsync(HttpContext context, StoreStatus status, JsonItem item)
    {
        string message = StoreStatusMessages.Describe(status, _store.Options, item.Key.Length, item.Value?.Length ?? 0) ?? status.ToString();
        int code = status == StoreStatus.EntryTooLarge ? StatusCodes.Status507InsufficientStorage : StatusCodes.Status400BadRequest;
        return WriteErrorAsync(context, code, message + ".");
    }
}
