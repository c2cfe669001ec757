using YamlDotNet.RepresentationModel;

namespace KubeCache.Chart.Tests.Support;

/// <summary>Path navigation over YamlDotNet's representation model; a missing step yields null.</summary>
internal static class YamlNodes
{
    /// <summary>The first document of the YAML file at <paramref name="path"/>.</summary>
    public static YamlNode LoadFile(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return stream.Documents[0].RootNode;
    }

    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        foreach (string step in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(step), out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Str(this YamlNode? node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static long? Long(this YamlNode? node, params string[] path) =>
        long.TryParse(node.Str(path), System.Globalization.CultureInfo.InvariantCulture, out long value) ? value : null;

    public static bool? Bool(this YamlNode? node, params string[] path) => node.Str(path) switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    public static IReadOnlyList<YamlNode> Items(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static IReadOnlyList<string> Strings(this YamlNode? node, params string[] path) =>
        node.Items(path).OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList();

    public static IReadOnlyDictionary<string, string> Map(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlMappingNode mapping
            ? mapping.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (c.Value as YamlScalarNode)?.Value ?? "")
            : new Dictionary<string, string>();

    public static IReadOnlyList<string> Keys(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlMappingNode mapping ? mapping.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList() : [];
}
