using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeCache.Operator.Tests.Support;

/// <summary>Numbers from the fake server's JSON, whatever CLR type its nodes hold them in.</summary>
internal static class JsonNumbers
{
    public static long? AsNumber(this JsonNode? node) =>
        node is null ? null : long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);
}
