using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;

namespace KubeCache.FakeApiServer.Schema;

/// <summary>
/// OpenAPI validation of a custom resource against its structural schema: type, enum,
/// required, minimum/maximum (and exclusive), length, item counts and pattern, worded as
/// the apiserver words them. CEL rules (x-kubernetes-validations) are not evaluated.
/// </summary>
internal static class SchemaValidator
{
    public static List<FieldError> Validate(JsonObject obj, JsonObject schema)
    {
        var errors = new List<FieldError>();
        foreach (var (name, value) in obj)
        {
            if (name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }
            if (SchemaNode.Property(schema, name) is { } s)
            {
                Check(value, s, name, errors);
            }
        }
        Required(obj, schema, "", errors);
        return errors;
    }

    private static void Check(JsonNode? value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (value is null)
        {
            return;
        }
        var type = SchemaNode.Type(schema);
        if (SchemaNode.Flag(schema, "x-kubernetes-int-or-string"))
        {
            if (value.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number))
            {
                errors.Add(FieldError.Invalid(path, Quote(KindName(value)), $"{path} in body must be of type int-or-string: {Quote(KindName(value))}"));
            }
            return;
        }
        if (type is not null && !IsType(value, type))
        {
            errors.Add(FieldError.Invalid(path, Quote(KindName(value)), $"{path} in body must be of type {type}: {Quote(KindName(value))}"));
            return;
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add(FieldError.NotSupported(path, value.ToJsonString(), allowed.Select(a => a?.ToJsonString() ?? "null")));
        }
        switch (value)
        {
            case JsonObject o:
                foreach (var (name, child) in o)
                {
                    if (SchemaNode.Property(schema, name) is { } s)
                    {
                        Check(child, s, path + "." + name, errors);
                    }
                }
                Required(o, schema, path + ".", errors);
                break;
            case JsonArray a:
                Count(a.Count, schema, path, errors);
                for (var i = 0; i < a.Count; i++)
                {
                    if (SchemaNode.Items(schema) is { } items)
                    {
                        Check(a[i], items, $"{path}[{i}]", errors);
                    }
                }
                break;
            default:
                Scalar((JsonValue)value, schema, path, errors);
                break;
        }
    }

    private static void Scalar(JsonValue value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (value.GetValueKind() == JsonValueKind.Number)
        {
            var n = value.AsDouble() ?? 0;
            var text = value.ToJsonString();
            if (Number(schema, "minimum") is { } min && (SchemaNode.Flag(schema, "exclusiveMinimum") ? n <= min : n < min))
            {
                var word = SchemaNode.Flag(schema, "exclusiveMinimum") ? "greater than" : "greater than or equal to";
                errors.Add(FieldError.Invalid(path, text, $"{path} in body should be {word} {Format(min)}"));
            }
            if (Number(schema, "maximum") is { } max && (SchemaNode.Flag(schema, "exclusiveMaximum") ? n >= max : n > max))
            {
                var word = SchemaNode.Flag(schema, "exclusiveMaximum") ? "less than" : "less than or equal to";
                errors.Add(FieldError.Invalid(path, text, $"{path} in body should be {word} {Format(max)}"));
            }
        }
        else if (value.GetValueKind() == JsonValueKind.String)
        {
            var s = value.GetValue<string>();
            if (Number(schema, "maxLength") is { } maxLen && s.Length > maxLen)
            {
                errors.Add(FieldError.Invalid(path, Quote(s), $"{path} in body should be at most {Format(maxLen)} chars long"));
            }
            if (Number(schema, "minLength") is { } minLen && s.Length < minLen)
            {
                errors.Add(FieldError.Invalid(path, Quote(s), $"{path} in body should be at least {Format(minLen)} chars long"));
            }
            if (schema["pattern"] is JsonValue p && !Regex.IsMatch(s, p.GetValue<string>(), RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                errors.Add(FieldError.Invalid(path, Quote(s), $"{path} in body should match '{p.GetValue<string>()}'"));
            }
        }
    }

    private static void Count(int count, JsonObject schema, string path, List<FieldError> errors)
    {
        if (Number(schema, "maxItems") is { } max && count > max)
        {
            errors.Add(new FieldError(path, "FieldValueTooMany", $"Too many: {count}: must have at most {Format(max)} items"));
        }
        if (Number(schema, "minItems") is { } min && count < min)
        {
            errors.Add(FieldError.Invalid(path, count.ToString(CultureInfo.InvariantCulture), $"{path} in body should have at least {Format(min)} items"));
        }
    }

    private static void Required(JsonObject o, JsonObject schema, string prefix, List<FieldError> errors)
    {
        foreach (var name in (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()))
        {
            if (o[name] is null)
            {
                errors.Add(FieldError.Required(prefix + name));
            }
        }
    }

    private static bool IsType(JsonNode value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value.GetValueKind() == JsonValueKind.String,
        "boolean" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value.GetValueKind() == JsonValueKind.Number,
        "integer" => value.GetValueKind() == JsonValueKind.Number && value.AsLong() is not null,
        _ => true,
    };

    private static string KindName(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.AsLong() is not null ? "integer" : "number",
        _ => "boolean",
    };

    private static double? Number(JsonObject schema, string name) =>
        schema[name].AsDouble();

    private static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string s) => JsonSerializer.Serialize(s);
}
