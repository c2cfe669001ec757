using System.Globalization;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeCache.FakeApiServer.Json;

/// <summary>Reads a YAML document (or JSON, which is YAML) into a JSON node, as apply bodies arrive.</summary>
internal static class YamlReader
{
    public static JsonObject ParseObject(string text)
    {
        var stream = Load(text);
        if (stream.Documents.Count == 0 || Convert(stream.Documents[0].RootNode) is not JsonObject obj)
        {
            throw ApiErrors.BadRequest("the request body must be a YAML or JSON object");
        }
        return obj;
    }

    /// <summary>Every object of a multi-document YAML stream (as <c>kubectl apply -f</c> reads one); empty documents are skipped.</summary>
    public static List<JsonObject> ParseAll(string text)
    {
        var stream = Load(text);
        return [.. stream.Documents.Select(d => Convert(d.RootNode)).OfType<JsonObject>()];
    }

    private static YamlStream Load(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw ApiErrors.BadRequest($"error decoding YAML: {e.Message}");
        }
        return stream;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => Map(map),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonObject Map(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            obj[((YamlScalarNode)key).Value ?? ""] = Convert(value);
        }
        return obj;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }
        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit))
        {
            return JsonValue.Create(d);
        }
        return JsonValue.Create(text);
    }
}
