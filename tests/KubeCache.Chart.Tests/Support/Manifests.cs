using YamlDotNet.RepresentationModel;

namespace KubeCache.Chart.Tests.Support;

/// <summary>One rendered Kubernetes object.</summary>
internal sealed record Manifest(string Kind, string Name, YamlMappingNode Root)
{
    public string? Namespace => Root.Str("metadata", "namespace");

    public IReadOnlyDictionary<string, string> Labels => Root.Map("metadata", "labels");

    public IReadOnlyDictionary<string, string> Annotations => Root.Map("metadata", "annotations");

    /// <summary>The pod spec of a Pod, or of a workload's pod template.</summary>
    public YamlMappingNode? PodSpec => Kind == "Pod"
        ? Root.At("spec") as YamlMappingNode
        : Root.At("spec", "template", "spec") as YamlMappingNode;

    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>The objects of a <c>helm template</c> run, in order.</summary>
internal sealed class Manifests(IReadOnlyList<Manifest> all)
{
    public IReadOnlyList<Manifest> All => all;

    public static Manifests Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var objects = new List<Manifest>();
        foreach (YamlDocument document in stream.Documents)
        {
            // helm separates templates that render nothing with empty documents.
            if (document.RootNode is not YamlMappingNode root)
            {
                continue;
            }

            string kind = root.Str("kind") ?? throw new InvalidOperationException($"An object without kind:\n{root}");
            string name = root.Str("metadata", "name") ?? throw new InvalidOperationException($"A {kind} without a name.");
            objects.Add(new Manifest(kind, name, root));
        }

        return new Manifests(objects);
    }

    public IEnumerable<Manifest> OfKind(string kind) => all.Where(m => m.Kind == kind);

    public Manifest? Find(string kind, string name) => all.FirstOrDefault(m => m.Kind == kind && m.Name == name);

    public Manifest Get(string kind, string name) =>
        Find(kind, name) ?? throw new Xunit.Sdk.XunitException(
            $"No {kind}/{name} was rendered; rendered: {string.Join(", ", all)}.");

    /// <summary>Every object that runs pods, with its pod spec.</summary>
    public IEnumerable<(Manifest Owner, YamlMappingNode Spec)> PodSpecs() =>
        all.Where(m => m.PodSpec is not null).Select(m => (m, m.PodSpec!));
}
