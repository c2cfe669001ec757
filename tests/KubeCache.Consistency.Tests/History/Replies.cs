using KubeCache.Protocol;

namespace KubeCache.Consistency.Tests.History;

/// <summary>RESP replies as short canonical text: <c>+OK</c>, <c>:1</c>, <c>$value</c>, <c>nil</c>, <c>-ERR …</c>.</summary>
public static class Replies
{
    public const string Ok = "+OK";

    public const string Nil = "nil";

    public const string NotAnInteger = "-ERR value is not an integer or out of range";

    public static string Bulk(string? value) => value is null ? Nil : "$" + value;

    public static string Of(RespValue reply) => reply switch
    {
        { IsNull: true } => Nil,
        { IsError: true } => "-" + reply.AsString(),
        { Kind: RespValueKind.Integer } => ":" + reply.AsString(),
        { Kind: RespValueKind.SimpleString } => "+" + reply.AsString(),
        { Kind: RespValueKind.BulkString } => "$" + reply.AsString(),
        _ => "?" + reply,
    };

    /// <summary>An error reply: the command may or may not have taken effect.</summary>
    public static bool IsError(string reply) => reply.StartsWith('-');

    public static Observed ImpliedByBulk(string reply) =>
        reply == Nil ? new(ObservedKind.Absent) : reply.StartsWith('$') ? new(ObservedKind.Value, reply[1..]) : new(ObservedKind.Unknown);
}
