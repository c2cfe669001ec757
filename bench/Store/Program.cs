using System.Diagnostics;
using System.Text;
using KubeCache.CacheNode.Storage;

// The store's own time per SET (overwriting a live key) and GET hit, at random keys over key
// spaces of growing size, in one process and on one thread: what bench/resp-compare.sh and
// bench/memory.sh measure through sockets, less the protocol, the transport and the kernel, so
// the part that grows with the key space (cache and TLB misses) shows without their noise.
// Keys are redis-benchmark's ("key:" and 12 digits), values VALUE bytes (redis-benchmark's 3 by
// default; bench/memory.sh uses 64).
// Then a large hash (SegmentedHash): a walk of all its pairs to a field, what a read and a write
// of it cost before it was segmented; splitting it into segments; finding a field in its segment;
// and setting a field (a new SegmentedHash sharing the other segments). The hash has HASH_FIELDS
// fields named as redis-benchmark's HSET names them, with 3-byte values (what bench/value-edits.sh grows).
// Run: dotnet run -c Release --project bench/Store [-- KEYS... ]   (env: VALUE=3 ROUNDS=3 HASH_FIELDS=18000)
// Figures are recorded in README's Performance section.

int[] sizes = args.Length > 0 ? [.. args.Select(int.Parse)] : [100_000, 1_000_000, 10_000_000];
int valueBytes = int.Parse(Environment.GetEnvironmentVariable("VALUE") ?? "3");
int rounds = int.Parse(Environment.GetEnvironmentVariable("ROUNDS") ?? "3");
const int Operations = 4_000_000;

Console.WriteLine($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; {valueBytes}-byte values, {Operations:N0} random operations per figure, best of {rounds}");
Console.WriteLine("keys       | SET ns | GET ns");
foreach (int size in sizes)
{
    var store = new CacheStore(new StoreOptions { CapacityBytes = 64L << 30 });
    byte[][] keys = [.. Enumerable.Range(0, size).Select(i => Encoding.ASCII.GetBytes($"key:{i:D12}"))];
    byte[] value = new byte[valueBytes];
    Array.Fill(value, (byte)'x');
    foreach (byte[] key in keys)
    {
        store.Set(key, value);
    }

    var random = new Random(size);
    int[] order = [.. Enumerable.Range(0, Operations).Select(_ => random.Next(size))];
    double set = double.MaxValue, get = double.MaxValue;
    for (int round = 0; round < rounds; round++)
    {
        set = Math.Min(set, Time(() =>
        {
            foreach (int i in order)
            {
                store.Set(keys[i], value);
            }
        }));
        get = Math.Min(get, Time(() =>
        {
            foreach (int i in order)
            {
                if (store.Get(keys[i], out _) != StoreStatus.Ok)
                {
                    throw new InvalidOperationException($"key {i} is missing: the store evicted, so the figures would not be of hits");
                }
            }
        }));
    }

    Console.WriteLine($"{size,10:N0} | {set,6:F0} | {get,6:F0}");
}

int hashFields = int.Parse(Environment.GetEnvironmentVariable("HASH_FIELDS") ?? "18000");
byte[][] fieldNames = [.. Enumerate(hashFields).Select(i => Encoding.ASCII.GetBytes($"element:{i:D12}"))];
byte[] encoded = [.. fieldNames.SelectMany(field => new[] { (byte)field.Length }.Concat(field).Concat(new byte[] { 3, (byte)'x', (byte)'x', (byte)'x' }))];
var pick = new Random(hashFields);
byte[][] probes = [.. Enumerate(1000).Select(_ => fieldNames[pick.Next(hashFields)])];
double walk = double.MaxValue, segment = double.MaxValue, split = double.MaxValue, write = double.MaxValue;
SegmentedHash segmented = SegmentedHash.Of(encoded, []);
for (int round = 0; round < rounds; round++)
{
    walk = Math.Min(walk, TimeEach(probes.Length, () =>
    {
        foreach (byte[] field in probes)
        {
            Found(HashFields.TryGet(encoded, field, out _));
        }
    }));
    split = Math.Min(split, TimeEach(100, () =>
    {
        for (int i = 0; i < 100; i++)
        {
            segmented = SegmentedHash.Of(encoded, []);
        }
    }));
    segment = Math.Min(segment, TimeEach(probes.Length * 100, () =>
    {
        for (int i = 0; i < 100; i++)
        {
            foreach (byte[] field in probes)
            {
                Found(segmented.TryGet(field, out _));
            }
        }
    }));
    write = Math.Min(write, TimeEach(probes.Length * 10, () =>
    {
        SegmentedHash current = segmented;
        for (int i = 0; i < 10; i++)
        {
            foreach (byte[] field in probes)
            {
                var pair = new OnePair(field, "yyy"u8.ToArray());
                current = (SegmentedHash)current.With(ref pair, out _).Segments!;
            }
        }
    }));
}

Console.WriteLine($"hash of {hashFields:N0} fields ({encoded.Length:N0} bytes, {segmented.SegmentCount} segments) | walk to a field {walk / 1000:F1} µs | split into segments {split / 1000:F1} µs | look-up in a segment {segment:F0} ns | set a field {write:F0} ns");

static IEnumerable<int> Enumerate(int count) => Enumerable.Range(0, count);

static void Found(bool found)
{
    if (!found)
    {
        throw new InvalidOperationException("a field of the hash was not found");
    }
}

static double Time(Action run) => TimeEach(Operations, run);

static double TimeEach(int operations, Action run)
{
    var clock = Stopwatch.StartNew();
    run();
    return clock.Elapsed.TotalNanoseconds / operations;
}

/// <summary>One field and its value, as HSET or HINCRBY hands them to the hash.</summary>
internal readonly struct OnePair(byte[] field, byte[] value) : IFieldPairs
{
    public int Count => 1;

    public ReadOnlySpan<byte> Field(int index) => field;

    public ReadOnlySpan<byte> Value(int index) => value;
}
