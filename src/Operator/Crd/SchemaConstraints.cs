using System.Reflection;
using System.Text.Json.Nodes;

namespace KubeCache.Operator.Crd;

/// <summary>Adds a property's validation and defaulting attributes to its schema node.</summary>
internal static class SchemaConstraints
{
    public static void Apply(JsonObject schema, PropertyInfo property)
    {
        if (property.GetCustomAttribute<EnumAttribute>() is { } values)
        {
            schema["enum"] = new JsonArray([.. values.Values.Select(Scalar)]);
        }

        if (property.GetCustomAttribute<MinimumAttribute>() is { } minimum)
        {
            schema["minimum"] = minimum.Value;
        }

        if (property.GetCustomAttribute<MaximumAttribute>() is { } maximum)
        {
            schema["maximum"] = maximum.Value;
        }

        if (property.GetCustomAttribute<MinLengthAttribute>() is { } minLength)
        {
            schema["minLength"] = minLength.Value;
        }

        if (property.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength)
        {
            schema["maxLength"] = maxLength.Value;
        }

        if (property.GetCustomAttribute<MaxItemsAttribute>() is { } maxItems)
        {
            schema["maxItems"] = maxItems.Value;
        }

        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            schema["pattern"] = pattern.Regex;
        }

        if (property.GetCustomAttribute<DefaultAttribute>() is { } defaultValue)
        {
            schema["default"] = Scalar(defaultValue.Value);
        }
        else if (property.IsDefined(typeof(DefaultEmptyObjectAttribute)))
        {
            schema["default"] = new JsonObject();
        }

        if (property.GetCustomAttribute<ListMapAttribute>() is { } listMap)
        {
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = new JsonArray([.. listMap.Keys.Select(k => (JsonNode)k)]);
        }

        SchemaGenerator.AddValidationRules(schema, property.GetCustomAttributes<ValidationRuleAttribute>());
    }

    private static JsonNode Scalar(object value) => value switch
    {
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        bool b => JsonValue.Create(b),
        _ => ThrowHelper.UnsupportedSchemaValue(value),
    };
}
