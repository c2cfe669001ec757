namespace KubeCache.Topology.Json;

// The wire shape of ring.json. Every field is nullable so a missing one is reported by name
// instead of failing inside the serializer; declaration order is the serialized field order.

internal sealed class RingDocumentJson
{
    public string? Cluster { get; set; }

    public long? Epoch { get; set; }

    public string? Hash { get; set; }

    public string? Scheme { get; set; }

    public List<RingMemberJson?>? Members { get; set; }

    public RingGenerationJson? Previous { get; set; }
}

internal sealed class RingMemberJson
{
    public string? Name { get; set; }

    public string? Http { get; set; }

    public string? Resp { get; set; }
}

internal sealed class RingGenerationJson
{
    public long? Epoch { get; set; }

    public List<RingMemberJson?>? Members { get; set; }

    public long? StartedAtUnixMs { get; set; }
}
