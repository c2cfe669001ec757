using System.Text;
using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>
/// The hash encoding's writes against a model (an ordered list of pairs, as Redis keeps a small
/// hash): random HSET and HDEL argument lists, with repeated fields, empty parts, parts long
/// enough for two-byte lengths and values that look like fields, applied one after another to
/// the same hash.
/// </summary>
public sealed class HashFieldsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WithAndWithout_RandomArgumentLists_MatchTheOrderedModel(int seed)
    {
        var random = new Random(seed);
        string[] fields = [.. Enumerable.Range(0, 40).Select(i => i % 10 == 0 ? new string('f', 130 + i) : $"f{i}"), ""];
        var model = new List<(string Field, string Value)>();
        byte[] encoded = [];
        for (int step = 0; step < 3000; step++)
        {
            // Mostly a few pairs (searched in place), sometimes more than FieldPositions.SearchedInPlace (looked up in a table).
            int count = random.Next(4) == 0 ? random.Next(FieldPositions.SearchedInPlace + 1, 40) : random.Next(1, 6);
            var arguments = new ArgumentPairs([.. Enumerable.Range(0, count).Select(_ => (fields[random.Next(fields.Length)], Value(random)))]);
            if (random.Next(3) == 0)
            {
                encoded = Stored(encoded, HashFields.Without(encoded, ref arguments, out int removed));
                Assert.Equal(model.RemoveAll(p => arguments.Pairs.Any(a => a.Field == p.Field)), removed);
            }
            else
            {
                encoded = Stored(encoded, HashFields.With(encoded, ref arguments, out int added));
                int before = model.Count;
                foreach ((string field, string value) in arguments.Pairs)
                {
                    int at = model.FindIndex(p => p.Field == field);
                    if (at >= 0)
                    {
                        model[at] = (field, value);
                    }
                    else
                    {
                        model.Add((field, value));
                    }
                }

                Assert.Equal(model.Count - before, added);
            }

            Assert.Equal(model, Decode(encoded));
        }
    }

    // Some values hold a field's encoding (its length byte and name), which the search for a
    // field's presence finds although no such field is there.
    private static string Value(Random random) => random.Next(8) switch
    {
        0 => "\u0002f" + random.Next(10),
        1 or 2 => new string((char)('a' + random.Next(26)), random.Next(120, 300)),
        _ => new string((char)('a' + random.Next(26)), random.Next(0, 8)),
    };

    /// <summary>What the store keeps after an edit: the replacement's bytes, after the current value when it appends (its buffer given back), or the value as it was.</summary>
    private static byte[] Stored(byte[] current, Replacement replacement)
    {
        byte[] stored = !replacement.HasValue ? current : replacement.Appends ? [.. current, .. replacement.Span] : replacement.Span.ToArray();
        replacement.Return();
        return stored;
    }

    private static List<(string, string)> Decode(byte[] encoded)
    {
        var pairs = new List<(string, string)>();
        foreach (HashFields.Pair pair in HashFields.Enumerate(encoded))
        {
            pairs.Add((Encoding.ASCII.GetString(pair.Field), Encoding.ASCII.GetString(pair.Value)));
        }

        return pairs;
    }

    /// <summary>
    /// Regression: an HSET or HDEL of k fields compared every field with every other (and every
    /// pair of the hash with each of them): O(k²) reads of the command's fields, over a second of
    /// the node's loop for an HSET of 10,000 fields. Now each field is read a few times.
    /// </summary>
    [Fact]
    public void WithAndWithout_OfManyFields_ReadEachFieldAFewTimes()
    {
        const int Fields = 5_000;
        var reads = new ReadCounter();
        var set = new CountedPairs([.. Enumerable.Range(0, Fields).Select(i => ($"f:{i}", $"{i}")), ("f:7", "again")], reads);
        byte[] encoded = Stored([], HashFields.With([], ref set, out int added));
        Assert.Equal(Fields, added);
        Assert.True(reads.Count < 10 * set.Count, $"an HSET of {set.Count} fields read them {reads.Count} times");
        Assert.Equal("again", Decode(encoded)[7].Item2);

        // Half of them again, so the walk of the hash finds each in the command.
        reads.Count = 0;
        var again = new CountedPairs([.. Enumerable.Range(0, Fields).Where(i => i % 2 == 0).Select(i => ($"f:{i}", "x"))], reads);
        encoded = Stored(encoded, HashFields.With(encoded, ref again, out added));
        Assert.Equal(0, added);
        Assert.True(reads.Count < 10 * (again.Count + Fields), $"an HSET of {again.Count} fields on a hash of {Fields} read them {reads.Count} times");

        reads.Count = 0;
        var delete = new CountedPairs([.. Enumerable.Range(0, Fields).Where(i => i % 3 == 0).Select(i => ($"f:{i}", ""))], reads);
        encoded = Stored(encoded, HashFields.Without(encoded, ref delete, out int removed));
        Assert.Equal(delete.Count, removed);
        Assert.True(reads.Count < 10 * (delete.Count + Fields), $"an HDEL of {delete.Count} fields on a hash of {Fields} read them {reads.Count} times");
        Assert.Equal(Fields - delete.Count, HashFields.Count(encoded));
    }

    private sealed class ReadCounter
    {
        public int Count { get; set; }
    }

    /// <summary>Pairs that count how often their fields are read.</summary>
    private readonly struct CountedPairs((string Field, string Value)[] pairs, ReadCounter reads) : IFieldPairs
    {
        private readonly byte[][] _fields = [.. pairs.Select(p => Encoding.ASCII.GetBytes(p.Field))];

        public int Count => pairs.Length;

        public ReadOnlySpan<byte> Field(int index)
        {
            reads.Count++;
            return _fields[index];
        }

        public ReadOnlySpan<byte> Value(int index) => Encoding.ASCII.GetBytes(pairs[index].Value);
    }

    private readonly struct ArgumentPairs((string Field, string Value)[] pairs) : IFieldPairs
    {
        public (string Field, string Value)[] Pairs { get; } = pairs;

        public int Count => Pairs.Length;

        public ReadOnlySpan<byte> Field(int index) => Encoding.ASCII.GetBytes(Pairs[index].Field);

        public ReadOnlySpan<byte> Value(int index) => Encoding.ASCII.GetBytes(Pairs[index].Value);
    }
}
