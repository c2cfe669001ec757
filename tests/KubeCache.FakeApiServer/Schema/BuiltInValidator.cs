using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s.Models;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Resources;

namespace KubeCache.FakeApiServer.Schema;

/// <summary>
/// Validates objects of built-in kinds as the apiserver does where our behaviour depends on it:
/// the field set and JSON types of each field (KubernetesClient's generated models stand in for
/// the apiserver's OpenAPI schema), DNS-1035 Service names and label values.
/// </summary>
internal static partial class BuiltInValidator
{
    private const int MaxLabelValueLength = 63;

    private static readonly FrozenDictionary<string, Type> Models = typeof(V1Pod).Assembly.GetTypes()
        .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(e => e.Entity is not null && !e.Type.Name.EndsWith("List", StringComparison.Ordinal))
        .GroupBy(e => Key(e.Entity!.Group, e.Entity.ApiVersion, e.Entity.Kind))
        .ToFrozenDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<Type, FrozenDictionary<string, Type>> Fields = new();

    /// <summary>
    /// Fields the kind does not declare and values of the wrong JSON type: what server-side apply's
    /// conversion to the typed schema refuses. None for kinds with no model (custom resources).
    /// </summary>
    public static List<FieldError> ShapeErrors(JsonObject obj, ResourceType type)
    {
        var errors = new List<FieldError>();
        if (Models.TryGetValue(Key(type.Group, type.Version, type.Kind), out Type? model))
        {
            CheckObject(obj, model, "", errors);
        }

        return errors;
    }

    /// <summary>Every error in <paramref name="obj"/>: its shape, its Service name and its labels; none for kinds with no model.</summary>
    public static List<FieldError> Validate(JsonObject obj, ResourceType type)
    {
        List<FieldError> errors = ShapeErrors(obj, type);
        if (!Models.ContainsKey(Key(type.Group, type.Version, type.Kind)))
        {
            return errors;
        }

        if (type.Group.Length == 0 && type.Kind == "Service" && obj["metadata"]?["name"] is JsonValue name && name.TryGetValue(out string? text))
        {
            CheckDns1035(text, "metadata.name", errors);
        }

        CheckLabels(obj["metadata"]?["labels"], "metadata.labels", errors);
        CheckLabels(obj["spec"]?["template"]?["metadata"]?["labels"], "spec.template.metadata.labels", errors);
        return errors;
    }

    private static string Key(string group, string version, string kind) => $"{group}/{version}/{kind}";

    private static void CheckObject(JsonObject obj, Type model, string path, List<FieldError> errors)
    {
        FrozenDictionary<string, Type> fields = Fields.GetOrAdd(model, FieldsOf);
        foreach ((string name, JsonNode? value) in obj)
        {
            string field = path.Length == 0 ? name : path + "." + name;
            if (!fields.TryGetValue(name, out Type? fieldType))
            {
                errors.Add(new FieldError(field, "FieldValueInvalid", "field not declared in schema"));
            }
            else if (value is not null)
            {
                CheckValue(value, fieldType, field, errors);
            }
        }
    }

    private static void CheckValue(JsonNode value, Type type, string path, List<FieldError> errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        JsonValueKind kind = value.GetValueKind();
        string? expected = type switch
        {
            _ when type == typeof(string) || type == typeof(DateTime) || type == typeof(byte[]) => kind == JsonValueKind.String ? null : "string",
            _ when type == typeof(bool) => kind is JsonValueKind.True or JsonValueKind.False ? null : "boolean",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal) =>
                kind == JsonValueKind.Number ? null : "numeric (int or float)",
            _ when type == typeof(IntOrString) || type == typeof(ResourceQuantity) => kind is JsonValueKind.String or JsonValueKind.Number ? null : "string or number",
            _ when type == typeof(object) => null,
            _ when ElementOf(type, typeof(IDictionary<,>)) is { } values => CheckEach(value as JsonObject, values, path, errors) ? null : "map",
            _ when ElementOf(type, typeof(IList<>)) is { } items => CheckEach(value as JsonArray, items, path, errors) ? null : "list",
            _ when value is JsonObject child => CheckNested(child, type, path, errors),
            _ => "map",
        };
        if (expected is not null)
        {
            string detail = $"expected {expected}, got {kind.ToString().ToLowerInvariant()}";
            errors.Add(FieldError.Invalid(path, value.ToJsonString(), detail) with { Detail = detail });
        }
    }

    private static string? CheckNested(JsonObject child, Type type, string path, List<FieldError> errors)
    {
        CheckObject(child, type, path, errors);
        return null;
    }

    private static bool CheckEach(JsonNode? container, Type element, string path, List<FieldError> errors)
    {
        switch (container)
        {
            case JsonObject map:
                foreach ((string key, JsonNode? item) in map)
                {
                    if (item is not null)
                    {
                        CheckValue(item, element, $"{path}[{key}]", errors);
                    }
                }

                return true;
            case JsonArray list:
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item)
                    {
                        CheckValue(item, element, $"{path}[{i}]", errors);
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private static Type? ElementOf(Type type, Type generic)
    {
        Type? match = type.IsGenericType && type.GetGenericTypeDefinition() == generic ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);
        return match?.GetGenericArguments()[^1];
    }

    private static FrozenDictionary<string, Type> FieldsOf(Type model) => model
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
        .Where(p => p.Name is not null)
        .ToFrozenDictionary(p => p.Name!, p => p.PropertyType, StringComparer.Ordinal);

    private static void CheckDns1035(string name, string path, List<FieldError> errors)
    {
        if (name.Length > MaxLabelValueLength)
        {
            errors.Add(FieldError.Invalid(path, Quote(name), $"must be no more than {MaxLabelValueLength} characters"));
        }

        if (!Dns1035().IsMatch(name))
        {
            errors.Add(FieldError.Invalid(path, Quote(name),
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"));
        }
    }

    private static void CheckLabels(JsonNode? labels, string path, List<FieldError> errors)
    {
        if (labels is not JsonObject map)
        {
            return;
        }

        foreach ((string _, JsonNode? value) in map)
        {
            if (value is not JsonValue v || !v.TryGetValue(out string? text))
            {
                continue;
            }

            if (text.Length > MaxLabelValueLength)
            {
                errors.Add(FieldError.Invalid(path, Quote(text), $"must be no more than {MaxLabelValueLength} characters"));
            }

            if (!LabelValue().IsMatch(text))
            {
                errors.Add(FieldError.Invalid(path, Quote(text),
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
            }
        }
    }

    private static string Quote(string text) => "\"" + text + "\"";

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
