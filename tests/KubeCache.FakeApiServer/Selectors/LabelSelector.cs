using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;

namespace KubeCache.FakeApiServer.Selectors;

/// <summary>
/// A parsed <c>labelSelector</c> query: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>, <c>k</c> (exists) and <c>!k</c> (does not exist), comma-separated, all must hold.
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r.Matches(labels));

    /// <summary>Parses the query form; a malformed selector is a 400 BadRequest.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var result = new List<Requirement>();
        foreach (var term in SplitTerms(text))
        {
            result.Add(ParseTerm(term.Trim(), text));
        }
        return new LabelSelector(result);
    }

    /// <summary>The query form of a <c>metav1.LabelSelector</c> object (as Scale's <c>status.selector</c>).</summary>
    public static string Serialize(JsonObject? selector)
    {
        if (selector is null)
        {
            return "";
        }
        var parts = new List<string>();
        if (selector["matchLabels"] is JsonObject labels)
        {
            parts.AddRange(labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value?.GetValue<string>()}"));
        }
        foreach (var e in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = e["key"]?.GetValue<string>() ?? "";
            var values = (e["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>() ?? "").Order(StringComparer.Ordinal);
            parts.Add((e["operator"]?.GetValue<string>() ?? "") switch
            {
                "In" => $"{key} in ({string.Join(",", values)})",
                "NotIn" => $"{key} notin ({string.Join(",", values)})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                var op => throw ApiErrors.BadRequest($"\"{op}\" is not a valid label selector operator"),
            });
        }
        return string.Join(",", parts);
    }

    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static Requirement ParseTerm(string term, string whole)
    {
        if (term.Length == 0)
        {
            throw ApiErrors.BadRequest($"unable to parse requirement: found '', expected: identifier in \"{whole}\"");
        }
        if (term.StartsWith('!'))
        {
            return new Requirement(term[1..].Trim(), Op.NotExists, []);
        }
        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var at = term.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                return new Requirement(term[..at].Trim(), op, [term[(at + token.Length)..].Trim()]);
            }
        }
        var words = term.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 1)
        {
            return new Requirement(words[0], Op.Exists, []);
        }
        var rest = words[1];
        var setOp = rest.StartsWith("notin", StringComparison.Ordinal) ? Op.NotIn : rest.StartsWith("in", StringComparison.Ordinal) ? Op.In : (Op?)null;
        var open = rest.IndexOf('(', StringComparison.Ordinal);
        var close = rest.LastIndexOf(')');
        if (setOp is null || open < 0 || close < open)
        {
            throw ApiErrors.BadRequest($"unable to parse requirement: \"{term}\" in \"{whole}\"");
        }
        var values = rest[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new Requirement(words[0], setOp.Value, [.. values]);
    }

    private enum Op { Equals, NotEquals, In, NotIn, Exists, NotExists }

    private sealed record Requirement(string Key, Op Operator, string[] Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Operator switch
            {
                Op.Equals or Op.In => has && Values.Contains(value),
                Op.NotEquals or Op.NotIn => !has || !Values.Contains(value),
                Op.Exists => has,
                _ => !has,
            };
        }
    }
}
