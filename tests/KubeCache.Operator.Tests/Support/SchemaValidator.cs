using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KubeCache.Operator.Tests.Support;

/// <summary>
/// Checks a value against the structural parts of a generated OpenAPI schema the way the API
/// server does: types, enum, minimum/maximum, lengths, pattern, required, and unknown fields
/// (which the server would prune). CEL rules are not evaluated here.
/// </summary>
internal static class SchemaValidator
{
    public static List<string> Validate(JsonNode? value, JsonObject schema)
    {
        var errors = new List<string>();
        Check(value, schema, "", errors);
        return errors;
    }

    private static void Check(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        if (value is null)
        {
            errors.Add($"{path}: null");
            return;
        }

        if (schema["x-kubernetes-int-or-string"] is not null)
        {
            CheckIntOrString(value, schema, path, errors);
            return;
        }

        switch ((string?)schema["type"])
        {
            case "object":
                CheckObject(value, schema, path, errors);
                break;
            case "array" when value is JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    Check(array[i], schema["items"]!.AsObject(), $"{path}[{i}]", errors);
                }

                break;
            case "string" when Kind(value) == JsonValueKind.String:
                CheckString(value.GetValue<string>(), schema, path, errors);
                break;
            case "integer" when Kind(value) == JsonValueKind.Number && value.GetValue<JsonElement>().TryGetInt64(out long n):
                CheckNumber(n, schema, path, errors);
                CheckEnum(value, schema, path, errors);
                break;
            case "boolean" when Kind(value) is JsonValueKind.True or JsonValueKind.False:
                break;
            default:
                errors.Add($"{path}: expected {schema["type"]}, found {value.ToJsonString()}");
                break;
        }
    }

    private static void CheckObject(JsonNode value, JsonObject schema, string path, List<string> errors)
    {
        if (value is not JsonObject obj)
        {
            errors.Add($"{path}: expected object, found {value.ToJsonString()}");
            return;
        }

        var properties = schema["properties"] as JsonObject;
        foreach ((string key, JsonNode? child) in obj)
        {
            if (path == "" && key == "metadata")
            {
                // The API server validates metadata as ObjectMeta, not by the CRD's schema.
                continue;
            }

            if (properties?[key] is JsonObject propertySchema)
            {
                Check(child, propertySchema, $"{path}.{key}", errors);
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Check(child, additional, $"{path}.{key}", errors);
            }
            else if (schema["x-kubernetes-preserve-unknown-fields"] is null)
            {
                errors.Add($"{path}.{key}: unknown field");
            }
        }

        foreach (JsonNode? required in schema["required"]?.AsArray() ?? [])
        {
            if (!obj.ContainsKey((string)required!))
            {
                errors.Add($"{path}.{required}: required");
            }
        }
    }

    private static void CheckIntOrString(JsonNode value, JsonObject schema, string path, List<string> errors)
    {
        switch (Kind(value))
        {
            case JsonValueKind.String:
                CheckString(value.GetValue<string>(), schema, path, errors);
                break;
            case JsonValueKind.Number:
                break;
            default:
                errors.Add($"{path}: expected an integer or a string, found {value.ToJsonString()}");
                break;
        }
    }

    private static void CheckString(string text, JsonObject schema, string path, List<string> errors)
    {
        if (schema["pattern"] is { } pattern && !Regex.IsMatch(text, (string)pattern!))
        {
            errors.Add($"{path}: \"{text}\" does not match {pattern}");
        }

        if (schema["minLength"] is { } min && text.Length < (int)min)
        {
            errors.Add($"{path}: shorter than {min}");
        }

        if (schema["maxLength"] is { } max && text.Length > (int)max)
        {
            errors.Add($"{path}: longer than {max}");
        }

        CheckEnum(JsonValue.Create(text), schema, path, errors);
    }

    private static void CheckNumber(long n, JsonObject schema, string path, List<string> errors)
    {
        if (schema["minimum"] is { } min && n < (long)min)
        {
            errors.Add($"{path}: {n} is below {min}");
        }

        if (schema["maximum"] is { } max && n > (long)max)
        {
            errors.Add($"{path}: {n} is above {max}");
        }
    }

    private static void CheckEnum(JsonNode value, JsonObject schema, string path, List<string> errors)
    {
        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            errors.Add($"{path}: {value.ToJsonString()} is not one of {values.ToJsonString()}");
        }
    }

    private static JsonValueKind Kind(JsonNode node) => node.GetValueKind();
}
