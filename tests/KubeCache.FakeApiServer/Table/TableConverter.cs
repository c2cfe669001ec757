using System.Globalization;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;

namespace KubeCache.FakeApiServer.Table;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>): a
/// meta.k8s.io/v1 Table with Name, the resource's printer columns and Age, as kubectl get shows.
/// </summary>
internal sealed class TableConverter(TimeProvider time)
{
    public const string ContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private static readonly PrinterColumn NameColumn = new("Name", "string", "name", ".metadata.name",
        "Name must be unique within a namespace. Cannot be updated.", 0);

    private static readonly PrinterColumn AgeColumn = new("Age", "date", null, ".metadata.creationTimestamp",
        "CreationTimestamp is a timestamp representing the server time when this object was created.", 0);

    public JsonObject Convert(ResourceType type, IReadOnlyList<JsonObject> items, string resourceVersion, string includeObject)
    {
        var columns = Columns(type);
        var definitions = new JsonArray();
        foreach (var c in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format ?? "",
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            });
        }
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var row = new JsonObject { ["cells"] = new JsonArray([.. columns.Select(c => Cell(item, c))]) };
            if (Embedded(item, includeObject) is { } embedded)
            {
                row["object"] = embedded;
            }
            rows.Add(row);
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private static List<PrinterColumn> Columns(ResourceType type)
    {
        var columns = new List<PrinterColumn> { NameColumn };
        columns.AddRange(type.Columns);
        if (!type.Columns.Any(c => c.Name == "Age"))
        {
            columns.Add(AgeColumn);
        }
        return columns;
    }

    private JsonNode? Cell(JsonObject item, PrinterColumn column)
    {
        var found = JsonPathExpression.Evaluate(item, column.JsonPath).Where(n => n is not null).ToList();
        if (found.Count == 0)
        {
            return null;
        }
        if (column.Type == "date")
        {
            return DateTimeOffset.TryParse(JsonPathExpression.Text(found[0]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? HumanDuration.Format(time.GetUtcNow() - at)
                : "<invalid>";
        }
        if (column.Type is "integer" or "number" or "boolean" && found.Count == 1)
        {
            return found[0]!.DeepClone();
        }
        return string.Join(",", found.Select(JsonPathExpression.Text));
    }

    private static JsonObject? Embedded(JsonObject item, string includeObject) => includeObject switch
    {
        "None" => null,
        "Object" => (JsonObject)item.DeepClone(),
        _ => new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = item.Meta().DeepClone(),
        },
    };
}
