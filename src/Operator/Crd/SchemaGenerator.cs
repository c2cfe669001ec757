using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Crd;

/// <summary>
/// Turns C# types into a structural OpenAPI v3 schema (every node typed, except int-or-string
/// and preserve-unknown-fields nodes) by reading their JSON names and schema attributes.
/// </summary>
internal static class SchemaGenerator
{
    /// <summary>
    /// The resource.Quantity grammar: a signed decimal number, then a binary suffix (Ki..Ei), a
    /// decimal suffix (n, u, m, k, M..E) or a decimal exponent.
    /// </summary>
    internal const string QuantityPattern =
        "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)))?$";

    /// <summary>The schema of a class: its JSON properties, required list and class-level rules.</summary>
    public static JsonObject ForClass(Type type, IEnumerable<PropertyInfo> properties)
    {
        var schema = new JsonObject();
        if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Text;
        }

        schema["type"] = "object";
        var props = new JsonObject();
        var required = new JsonArray();
        foreach (PropertyInfo property in properties)
        {
            string name = JsonName(property);
            props[name] = ForProperty(property);
            if (property.IsDefined(typeof(RequiredAttribute)) || KubernetesRequiredFields.IsRequired(type, name))
            {
                required.Add(name);
            }
        }

        schema["properties"] = props;
        if (required.Count > 0)
        {
            schema["required"] = required;
        }

        AddValidationRules(schema, type.GetCustomAttributes<ValidationRuleAttribute>());
        return schema;
    }

    /// <summary>The public properties that serialise, in declaration order.</summary>
    public static IEnumerable<PropertyInfo> JsonProperties(Type type, bool declaredOnly = false) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance | (declaredOnly ? BindingFlags.DeclaredOnly : 0))
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null && !p.IsDefined(typeof(JsonIgnoreAttribute)))
            .OrderBy(p => p.MetadataToken);

    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name;

    private static JsonObject ForProperty(PropertyInfo property)
    {
        bool preserve = property.IsDefined(typeof(PreserveUnknownFieldsAttribute));
        JsonObject schema = ForValue(property.PropertyType, preserve, $"{property.DeclaringType!.Name}.{property.Name}");
        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            // The property's own description says more than its type's, and goes first.
            schema.Remove("description");
            var ordered = new JsonObject { ["description"] = description.Text };
            foreach ((string key, JsonNode? value) in schema.ToList())
            {
                schema.Remove(key);
                ordered[key] = value;
            }

            schema = ordered;
        }

        SchemaConstraints.Apply(schema, property);
        return schema;
    }

    private static JsonObject ForValue(Type type, bool preserveUnknown, string where)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(DateTimeOffset))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (type == typeof(IntOrString))
        {
            return IntOrStringSchema();
        }

        if (type == typeof(Quantity))
        {
            JsonObject quantity = IntOrStringSchema();
            quantity["pattern"] = QuantityPattern;
            return quantity;
        }

        if (type == typeof(JsonObject))
        {
            if (!preserveUnknown)
            {
                ThrowHelper.ThrowUnsupportedSchemaType(type, where);
            }

            return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(List<>) || type.GetGenericTypeDefinition() == typeof(IList<>)))
        {
            return new JsonObject { ["type"] = "array", ["items"] = ForValue(type.GetGenericArguments()[0], preserveUnknown, where) };
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Dictionary<,>) || type.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            && type.GetGenericArguments()[0] == typeof(string))
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = ForValue(type.GetGenericArguments()[1], preserveUnknown, where) };
        }

        if (type.IsClass && (type.Namespace?.StartsWith("KubeCache.", StringComparison.Ordinal) == true || IsKubernetesModel(type)))
        {
            return ForClass(type, JsonProperties(type));
        }

        ThrowHelper.ThrowUnsupportedSchemaType(type, where);
        return null;
    }

    /// <summary>The official client's models of built-in kinds, typed from the Kubernetes OpenAPI document.</summary>
    private static bool IsKubernetesModel(Type type) => type.Namespace == "k8s.Models" && type != typeof(IntOrString);

    private static JsonObject IntOrStringSchema() => new()
    {
        ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
        ["x-kubernetes-int-or-string"] = true,
    };

    internal static void AddValidationRules(JsonObject schema, IEnumerable<ValidationRuleAttribute> rules)
    {
        var list = new JsonArray();
        foreach (ValidationRuleAttribute rule in rules)
        {
            list.Add(new JsonObject { ["rule"] = rule.Rule, ["message"] = rule.Message });
        }

        if (list.Count > 0)
        {
            schema["x-kubernetes-validations"] = list;
        }
    }
}
