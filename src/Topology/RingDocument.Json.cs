using System.Text;
using System.Text.Json;
using KubeCache.Topology.Json;

namespace KubeCache.Topology;

public sealed partial class RingDocument
{
    /// <summary>Reads ring.json. Unknown fields are ignored; <c>hash</c> and <c>scheme</c> default when absent.</summary>
    /// <exception cref="RingFormatException">Not JSON, or a field is missing or invalid; the message names it.</exception>
    public static RingDocument Parse(ReadOnlySpan<byte> utf8Json)
    {
        RingDocumentJson? json = null;
        try
        {
            json = JsonSerializer.Deserialize(utf8Json, RingJsonContext.Default.RingDocumentJson);
        }
        catch (JsonException e)
        {
            ThrowHelper.ThrowFormat($"ring.json is not a valid ring document: {e.Message}", e);
        }

        if (json is null)
        {
            ThrowHelper.ThrowFormat("ring.json is null; it must be an object with \"cluster\", \"epoch\" and \"members\".");
        }

        var document = new RingDocument
        {
            Cluster = json.Cluster ?? MissingField<string>("cluster"),
            Epoch = json.Epoch ?? MissingField<long>("epoch"),
            Hash = json.Hash ?? Xxh64,
            Scheme = json.Scheme ?? Rendezvous,
            Members = FromJson("members", json.Members),
            Previous = FromJson(json.Previous),
        };
        document.Validate();
        return document;
    }

    /// <inheritdoc cref="Parse(ReadOnlySpan{byte})"/>
    public static RingDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// ring.json as UTF-8: indented, camelCase, fields in the order cluster, epoch, hash,
    /// scheme, members, previous (omitted when null); no trailing newline.
    /// </summary>
    /// <exception cref="RingFormatException">The document is invalid (see <see cref="Validate"/>).</exception>
    public byte[] ToUtf8Json()
    {
        Validate();
        var json = new RingDocumentJson
        {
            Cluster = Cluster,
            Epoch = Epoch,
            Hash = Hash,
            Scheme = Scheme,
            Members = ToJson(Members),
            Previous = Previous is null ? null : new RingGenerationJson
            {
                Epoch = Previous.Epoch,
                Members = ToJson(Previous.Members),
                StartedAtUnixMs = Previous.StartedAtUnixMs,
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(json, RingJsonContext.Default.RingDocumentJson);
    }

    private static RingGeneration? FromJson(RingGenerationJson? previous) =>
        previous is null ? null : new RingGeneration(
            previous.Epoch ?? MissingField<long>("previous.epoch"),
            FromJson("previous.members", previous.Members),
            previous.StartedAtUnixMs ?? MissingField<long>("previous.startedAtUnixMs"));

    private static RingMember[] FromJson(string field, List<RingMemberJson?>? members)
    {
        if (members is null)
        {
            return MissingField<RingMember[]>(field);
        }

        var result = new RingMember[members.Count];
        for (int i = 0; i < result.Length; i++)
        {
            RingMemberJson member = members[i] ?? MissingField<RingMemberJson>($"{field}[{i}]");
            result[i] = new RingMember(
                member.Name ?? MissingField<string>($"{field}[{i}].name"),
                member.Http ?? MissingField<string>($"{field}[{i}].http"),
                member.Resp ?? MissingField<string>($"{field}[{i}].resp"));
        }

        return result;
    }

    private static List<RingMemberJson?> ToJson(IReadOnlyList<RingMember> members) =>
        [.. members.Select(m => new RingMemberJson { Name = m.Name, Http = m.Http, Resp = m.Resp })];

    private static T MissingField<T>(string field)
    {
        ThrowHelper.ThrowFormat($"ring.json: \"{field}\" is missing.");
        return default!;
    }
}
