using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace KubeCache.HttpContract;

/// <summary>Reads request bodies and writes JSON replies the way a node's HTTP API does, byte for byte.</summary>
public static class HttpReplies
{
    /// <summary>Reads the whole body (Kestrel enforces --max-body-bytes) and hands it to <paramref name="parse"/>.</summary>
    public static async Task<T> ReadBodyAsync<T>(HttpContext context, Func<ReadOnlySequence<byte>, T> parse)
    {
        PipeReader body = context.Request.BodyReader;
        while (true)
        {
            ReadResult result = await body.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            if (result.IsCompleted)
            {
                try
                {
                    return parse(result.Buffer);
                }
                finally
                {
                    body.AdvanceTo(result.Buffer.End);
                }
            }

            body.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Sets the status and writes the body with its Content-Length (none for HEAD); Kestrel sends it when the request completes.</summary>
    public static int Write(HttpContext context, HttpReply reply) => Write(context, reply.Status, reply.Body);

    /// <inheritdoc cref="Write(HttpContext, HttpReply)"/>
    public static int Write(HttpContext context, int status, JsonReply reply)
    {
        using (reply)
        {
            HttpResponse response = context.Response;
            response.StatusCode = status;
            response.ContentType = "application/json";
            ReadOnlySpan<byte> body = reply.Body;
            response.ContentLength = body.Length;
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                response.BodyWriter.Write(body);
            }
        }

        return status;
    }

    public static int WriteError(HttpContext context, int status, string message) => Write(context, Error(status, message));

    public static int WriteOk(HttpContext context, string message) => Write(context, Ok(message));

    /// <summary><c>{"status":"ERROR","message":…}</c> with <paramref name="status"/>.</summary>
    public static HttpReply Error(int status, string message) => Status(status, "ERROR"u8, message);

    /// <summary><c>{"status":"OK","message":…}</c> with 200.</summary>
    public static HttpReply Ok(string message) => Status(StatusCodes.Status200OK, "OK"u8, message);

    private static HttpReply Status(int status, ReadOnlySpan<byte> result, string message)
    {
        JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, result);
        reply.Writer.WriteString("message"u8, message);
        reply.Writer.WriteEndObject();
        return new HttpReply(status, reply);
    }
}
