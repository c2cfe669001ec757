using System.Text.Json;
using System.Text.RegularExpressions;
using KubeCache.Chart.Tests.Support;
using KubeCache.Testing;
using YamlDotNet.RepresentationModel;

namespace KubeCache.Chart.Tests;

public sealed partial class ValuesFileTests
{
    private static readonly string ValuesPath = Path.Combine(RepoPaths.Of("charts", "kvcache"), "values.yaml");
    private static readonly string SchemaPath = Path.Combine(RepoPaths.Of("charts", "kvcache"), "values.schema.json");

    [Fact]
    public void ValuesYaml_EveryKey_HasACommentAboveIt()
    {
        string[] lines = File.ReadAllLines(ValuesPath);
        var uncommented = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            Match key = KeyLine().Match(lines[i]);
            if (!key.Success)
            {
                continue;
            }

            // The nearest non-blank line above must be a comment at the key's own indentation.
            int above = i - 1;
            while (above >= 0 && string.IsNullOrWhiteSpace(lines[above]))
            {
                above--;
            }

            string expected = key.Groups["indent"].Value + "#";
            if (above < 0 || !lines[above].StartsWith(expected, StringComparison.Ordinal))
            {
                uncommented.Add($"line {i + 1}: {lines[i].Trim()}");
            }
        }

        Assert.True(KeyLine().Matches(File.ReadAllText(ValuesPath)).Count > 50, "values.yaml keys were not recognised");
        Assert.Empty(uncommented);
    }

    [Fact]
    public void ValuesYaml_EveryKey_IsDescribedByTheSchemaAndEverySchemaPropertyHasADefault()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var problems = new List<string>();

        Compare((YamlMappingNode)YamlNodes.LoadFile(ValuesPath), schema.RootElement, schema.RootElement, "", problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void Schema_EveryOwnObject_RejectsUnknownKeysAndRequiresItsKeys()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var problems = new List<string>();

        CheckClosed(schema.RootElement, "", problems);

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("cluster.replicas=-1", "/cluster/replicas", "minimum")]
    [InlineData("cluster.missStatus=500", "/cluster/missStatus", "must be one of")]
    [InlineData("cluster.router.serviceType=Internal", "/cluster/router/serviceType", "must be one of")]
    [InlineData("cluster.shards=3", "/cluster/shards", "must be one of")]
    [InlineData("cluster.imagePullPolicy=Sometimes", "/cluster/imagePullPolicy", "must be one of")]
    [InlineData("operator.httpPort=70000", "/operator/httpPort", "maximum")]
    [InlineData("operator.replicaCount=2", "/operator", "replicaCount")]
    [InlineData("cluster.podDisruptionBudget.maxUnavailable=0", "/cluster/podDisruptionBudget/maxUnavailable", "minimum")]
    public void Template_InvalidValue_IsRejectedWithTheFieldAndTheRule(string set, string path, string rule)
    {
        HelmResult result = Helm.Template(set);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("values don't meet the specifications of the schema", result.Error, StringComparison.Ordinal);
        Assert.Contains($"'{path}'", result.Error, StringComparison.Ordinal);
        Assert.Contains(rule, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("networkPolicy.enabled=maybe", "/networkPolicy/enabled")]
    [InlineData("cluster.replicas=three", "/cluster/replicas")]
    [InlineData("cluster.maxMemory=lots", "/cluster/maxMemory")]
    [InlineData("operator.serviceMonitor.interval=often", "/operator/serviceMonitor/interval")]
    public void Template_ValueOfTheWrongShape_IsRejectedWithTheField(string set, string path)
    {
        HelmResult result = Helm.TemplateStrings(set);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"'{path}'", result.Error, StringComparison.Ordinal);
    }

    private static void Compare(YamlMappingNode values, JsonElement schemaNode, JsonElement root, string path, List<string> problems)
    {
        JsonElement node = Resolve(schemaNode, root);
        if (!node.TryGetProperty("properties", out JsonElement properties))
        {
            // Pass-through Kubernetes objects (resources, affinity, labels) are typed, not enumerated.
            if (!node.TryGetProperty("type", out _))
            {
                problems.Add($"{path}: the schema gives no type");
            }

            return;
        }

        var valueKeys = values.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        foreach (string key in valueKeys)
        {
            if (!properties.TryGetProperty(key, out JsonElement child))
            {
                problems.Add($"{path}/{key}: not in values.schema.json");
                continue;
            }

            if (values.Children[new YamlScalarNode(key)] is YamlMappingNode nested)
            {
                Compare(nested, child, root, $"{path}/{key}", problems);
            }
            else if (!Resolve(child, root).TryGetProperty("type", out _) && !Resolve(child, root).TryGetProperty("enum", out _))
            {
                problems.Add($"{path}/{key}: the schema gives no type");
            }
        }

        // A shared definition (resources) lists every Kubernetes field; only the chart's own objects need a default each.
        bool shared = schemaNode.TryGetProperty("$ref", out _);
        foreach (JsonProperty property in properties.EnumerateObject().Where(p => !shared && !valueKeys.Contains(p.Name)))
        {
            problems.Add($"{path}/{property.Name}: in the schema but has no default in values.yaml");
        }
    }

    private static void CheckClosed(JsonElement node, string path, List<string> problems)
    {
        if (!node.TryGetProperty("properties", out JsonElement properties))
        {
            return;
        }

        if (!node.TryGetProperty("additionalProperties", out JsonElement additional) || additional.ValueKind != JsonValueKind.False)
        {
            problems.Add($"{path}: additionalProperties is not false");
        }

        var required = node.TryGetProperty("required", out JsonElement r) ? r.EnumerateArray().Select(e => e.GetString()).ToHashSet() : [];
        foreach (JsonProperty property in properties.EnumerateObject())
        {
            if (!required.Contains(property.Name))
            {
                problems.Add($"{path}/{property.Name}: not required");
            }

            CheckClosed(property.Value, $"{path}/{property.Name}", problems);
        }
    }

    private static JsonElement Resolve(JsonElement node, JsonElement root)
    {
        if (!node.TryGetProperty("$ref", out JsonElement reference))
        {
            return node;
        }

        JsonElement target = root;
        foreach (string step in reference.GetString()!.TrimStart('#', '/').Split('/'))
        {
            target = target.GetProperty(step);
        }

        return target;
    }

    [GeneratedRegex(@"^(?<indent>\s*)(?<key>[A-Za-z][A-Za-z0-9_]*):", RegexOptions.Multiline)]
    private static partial Regex KeyLine();
}
