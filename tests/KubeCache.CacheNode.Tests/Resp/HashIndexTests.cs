using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Resp.Commands;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>
/// The index of a large hash: it finds what a walk of the encoding finds, it is built on a
/// record's eighth read (<see cref="HashIndexes.ReadsBeforeIndex"/>) and only for records of <see cref="HashIndexes.MinIndexedBytes"/> or more,
/// it stays within its budget, and its bytes are given back when the record is collected.
/// </summary>
public sealed class HashIndexTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Index_RandomHashes_FindsWhatAWalkFinds(int seed)
    {
        var random = new Random(seed);
        for (int hash = 0; hash < 30; hash++)
        {
            byte[] encoded = Encode(RandomPairs(random, random.Next(0, 3000)));
            int count = HashFields.Count(encoded);
            HashIndex index = HashIndex.TryBuild(encoded, long.MaxValue)!;
            Assert.Equal(count, index.Count);
            foreach (HashFields.Pair pair in HashFields.Enumerate(encoded))
            {
                Assert.True(index.TryGet(encoded, pair.Field, out ReadOnlySpan<byte> value));
                Assert.True(value.SequenceEqual(pair.Value));
            }

            for (int probe = 0; probe < 200; probe++)
            {
                byte[] field = Encoding.ASCII.GetBytes(RandomField(random));
                bool walked = HashFields.TryGet(encoded, field, out ReadOnlySpan<byte> expected);
                Assert.Equal(walked, index.TryGet(encoded, field, out ReadOnlySpan<byte> found));
                Assert.True(found.SequenceEqual(expected));
            }
        }
    }

    [Fact]
    public void Indexes_ALargeRecordOnItsEighthRead_NotASmallOne()
    {
        var indexes = new HashIndexes(budgetBytes: 64 << 20);
        byte[] small = Encode([("a", "1"), ("b", "2")]);
        for (int read = 0; read <= HashIndexes.ReadsBeforeIndex; read++)
        {
            Assert.True(indexes.Read(small).TryGet("b"u8, out ReadOnlySpan<byte> value));
            Assert.Equal("2"u8, value);
        }

        Assert.Equal(0, indexes.Bytes);

        ReadOnlyMemory<byte> large = LargeHash(fields: 2000);
        for (int read = 1; read <= HashIndexes.ReadsBeforeIndex + 1; read++)
        {
            Assert.True(indexes.Read(large).TryGet("field:1234"u8, out ReadOnlySpan<byte> value));
            Assert.Equal("value-1234"u8, value);
            Assert.Equal(read < HashIndexes.ReadsBeforeIndex ? 0 : HashIndex.BytesFor(2000), indexes.Bytes);
        }

        Assert.False(indexes.Read(large).TryGet("field:9999"u8, out _));
        Assert.True(indexes.Read(large).TryGet("field:0000"u8, out _));
        Assert.Equal(2000, indexes.Read(large).Count);
    }

    /// <summary>HRANDFIELD's draw, through the index and by walking: only the hash's pairs, each about equally often.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RandomPair_ManyDraws_EveryFieldWithItsValueAboutEquallyOften(bool indexed)
    {
        ReadOnlyMemory<byte> large = LargeHash(fields: 2000);
        HashIndex? index = indexed ? HashIndex.TryBuild(large.Span, long.MaxValue) : null;
        var random = new Random(7);
        var draws = new Dictionary<string, int>();
        for (int draw = 0; draw < 100_000; draw++)
        {
            HashFields.Pair pair = new HashView(large.Span, index).RandomPair(random);
            string field = Encoding.ASCII.GetString(pair.Field);
            Assert.Equal($"value-{int.Parse(field["field:".Length..], CultureInfo.InvariantCulture)}", Encoding.ASCII.GetString(pair.Value));
            draws[field] = draws.GetValueOrDefault(field) + 1;
        }

        // 50 draws a field expected: a uniform draw stays within 20-90 for every one of 2,000 fields.
        Assert.Equal(2000, draws.Count);
        Assert.InRange(draws.Values.Min(), 20, 50);
        Assert.InRange(draws.Values.Max(), 50, 90);
    }

    [Fact]
    public void Budget_TooSmallForTheIndex_TheHashIsWalked()
    {
        var indexes = new HashIndexes(budgetBytes: HashIndex.BytesFor(2000) - 1);
        ReadOnlyMemory<byte> large = LargeHash(fields: 2000);
        for (int read = 0; read <= HashIndexes.ReadsBeforeIndex; read++)
        {
            Assert.True(indexes.Read(large).TryGet("field:0001"u8, out ReadOnlySpan<byte> value));
            Assert.Equal("value-1"u8, value);
            Assert.Equal(2000, indexes.Read(large).Count);
        }

        Assert.Equal(0, indexes.Bytes);
    }

    [Fact]
    public void Bytes_RecordCollected_GivenBack()
    {
        var indexes = new HashIndexes(budgetBytes: 64 << 20);
        IndexOneRecord(indexes);
        Assert.Equal(HashIndex.BytesFor(2000), indexes.Bytes);
        for (int attempt = 0; attempt < 20 && indexes.Bytes != 0; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.Equal(0, indexes.Bytes);
    }

    /// <summary>A node serving HGET of a large hash from RESP builds its index (the gauge shows it), and does not with --hash-index-memory 0.</summary>
    [Theory]
    [InlineData(null, true)]
    [InlineData(0L, false)]
    public async Task Node_RepeatedHgetOfALargeHash_IndexesItUnlessTheBudgetIsZero(long? budget, bool indexed)
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.HashIndexBytes = budget);
        await using RespTestClient client = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        RespReply.Integer(2000, await client.CallAsync(["HSET", "big", .. Enumerable.Range(0, 2000).SelectMany(i => new[] { $"field:{i:D4}", $"value-{i}" })]));
        for (int read = 0; read < HashIndexes.ReadsBeforeIndex + 1; read++)
        {
            RespReply.Bulk("value-1999", await client.CallAsync("HGET", "big", "field:1999"));
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.HttpEndPoint}") };
        string metrics = await http.GetStringAsync("/metrics");
        Match sample = Regex.Match(metrics, @"(?m)^kvcache_memory_hash_indexes_bytes (\S+)");
        Assert.True(sample.Success, metrics);
        Assert.Equal(indexed, double.Parse(sample.Groups[1].Value, CultureInfo.InvariantCulture) > 0);
        for (int draw = 0; draw < 20; draw++)
        {
            RespValue field = await client.CallAsync("HRANDFIELD", "big");
            RespReply.Integer(1, await client.CallAsync("HEXISTS", "big", field.AsString()!));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void IndexOneRecord(HashIndexes indexes)
    {
        ReadOnlyMemory<byte> large = LargeHash(fields: 2000);
        for (int read = 0; read < HashIndexes.ReadsBeforeIndex; read++)
        {
            indexes.Read(large).TryGet("field:0001"u8, out _);
        }
    }

    /// <summary>A hash as a store record holds it: in an array of its own, after some bytes of record head.</summary>
    private static ReadOnlyMemory<byte> LargeHash(int fields)
    {
        byte[] encoded = Encode([.. Enumerable.Range(0, fields).Select(i => ($"field:{i:D4}", $"value-{i}"))]);
        Assert.True(encoded.Length >= HashIndexes.MinIndexedBytes);
        var record = new byte[encoded.Length + 7];
        encoded.CopyTo(record, 3);
        return record.AsMemory(3, encoded.Length);
    }

    private static (string Field, string Value)[] RandomPairs(Random random, int count)
    {
        var pairs = new Dictionary<string, string>();
        while (pairs.Count < count)
        {
            pairs[RandomField(random)] = random.Next(4) == 0 ? "\u0006field" + random.Next(100) : new string('v', random.Next(0, 150));
        }

        return [.. pairs.Select(p => (p.Key, p.Value))];
    }

    // Empty, short, and long enough for a two-byte length; drawn from a space the probes share.
    private static string RandomField(Random random) => random.Next(20) switch
    {
        0 => "",
        1 => new string('f', 120 + random.Next(20)),
        _ => "field" + random.Next(5000),
    };

    private static byte[] Encode((string Field, string Value)[] pairs)
    {
        var output = new List<byte>();
        Span<byte> length = stackalloc byte[VarLength.MaxBytes];
        foreach ((string field, string value) in pairs)
        {
            foreach (string part in new[] { field, value })
            {
                output.AddRange(length[..VarLength.Write(length, part.Length)]);
                output.AddRange(Encoding.ASCII.GetBytes(part));
            }
        }

        return [.. output];
    }
}
