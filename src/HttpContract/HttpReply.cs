namespace KubeCache.HttpContract;

/// <summary>
/// A reply decided but not yet sent: its status and JSON body. Kestrel's endpoints send it with
/// <see cref="HttpReplies.Write(Microsoft.AspNetCore.Http.HttpContext, HttpReply)"/>, the
/// connection fast path writes it itself; the sender disposes the body.
/// </summary>
public readonly record struct HttpReply(int Status, JsonReply Body);
