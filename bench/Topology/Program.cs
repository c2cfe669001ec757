using System.Diagnostics;
using KubeCache.Topology;
using KubeCache.Topology.Bench;

// Ring lookup cost and placement quality, rendezvous (the scheme built) against a vnode ring.
// Run: dotnet run -c Release --project bench/Topology
// Figures are recorded in docs/topology.md.

const int SampleKeys = 1_000_000;
const int LookupKeys = 1 << 16;
const int LookupRounds = 10;
int[] sizes = [3, 10, 20, 100];

ulong[] sample = RandomKeyHashes(SampleKeys, seed: 20240611);
ulong[] lookups = RandomKeyHashes(LookupKeys, seed: 7);
byte[][] keys = [.. Enumerable.Range(0, LookupKeys).Select(RandomKey)];

Console.WriteLine($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
Console.WriteLine();
Console.WriteLine("ns per lookup (key hash given)");
Console.WriteLine("members | rendezvous | vnode x160 | vnode x1024 | rendezvous incl. XXH64 of a 16-byte key");
foreach (int n in sizes)
{
    var ring = new Ring(Nodes(n));
    var vnodes160 = new VnodeRing(Names(n), 160);
    var vnodes1024 = new VnodeRing(Names(n), 1024);
    double rendezvous = Measure(new RendezvousLookup(ring));
    double ketama = Measure(new VnodeLookup(vnodes160));
    double vnode = Measure(new VnodeLookup(vnodes1024));
    double withHash = Measure(new KeyLookup(ring, keys));
    Console.WriteLine($"{n,7} | {rendezvous,10:F1} | {ketama,10:F1} | {vnode,11:F1} | {withHash,8:F1}");
}

Console.WriteLine();
Console.WriteLine("max/mean load over 1M keys");
Console.WriteLine("members | rendezvous | vnode x160 | vnode x1024");
foreach (int n in new[] { 3, 10, 20 })
{
    var ring = new Ring(Nodes(n));
    Console.WriteLine($"{n,7} | {MaxOverMean(ring.OwnerIndexOfHash, n),10:F4} | {MaxOverMean(new VnodeRing(Names(n), 160).OwnerIndexOfHash, n),10:F4} | {MaxOverMean(new VnodeRing(Names(n), 1024).OwnerIndexOfHash, n),11:F4}");
}

Console.WriteLine();
Console.WriteLine("keys moved adding member n+1, as a multiple of the fair share 1/(n+1); worst over n = 3..20");
Console.WriteLine($"rendezvous {WorstMove(n => new Ring(Nodes(n)).OwnerIndexOfHash):F4}");
Console.WriteLine($"vnode x160 {WorstMove(n => new VnodeRing(Names(n), 160).OwnerIndexOfHash):F4}");
Console.WriteLine($"vnode x1024 {WorstMove(n => new VnodeRing(Names(n), 1024).OwnerIndexOfHash):F4}");

// The best of several timed batches, after enough warm-up for tiered compilation to
// finish, so the figure is the optimized code's and the least disturbed by other load.
double Measure<T>(T lookup)
    where T : struct, ILookup
{
    int sink = 0;
    var warmUp = Stopwatch.StartNew();
    while (warmUp.ElapsedMilliseconds < 500)
    {
        sink += RunBatch(lookup);
    }

    double best = double.MaxValue;
    for (int batch = 0; batch < 7; batch++)
    {
        long start = Stopwatch.GetTimestamp();
        for (int round = 0; round < LookupRounds; round++)
        {
            sink += RunBatch(lookup);
        }

        double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / ((double)LookupRounds * LookupKeys);
        best = Math.Min(best, ns);
    }

    GC.KeepAlive(sink);
    return best;
}

int RunBatch<T>(T lookup)
    where T : struct, ILookup
{
    int sink = 0;
    for (int i = 0; i < LookupKeys; i++)
    {
        sink += lookup.Owner(lookups[i], i);
    }

    return sink;
}

double MaxOverMean(Func<ulong, int> lookup, int n)
{
    var load = new int[n];
    foreach (ulong hash in sample)
    {
        load[lookup(hash)]++;
    }

    return load.Max() / ((double)SampleKeys / n);
}

double WorstMove(Func<int, Func<ulong, int>> ringOf)
{
    double worst = 0;
    Func<ulong, int> before = ringOf(3);
    for (int n = 3; n <= 20; n++)
    {
        Func<ulong, int> after = ringOf(n + 1);
        int moved = 0;
        foreach (ulong hash in sample)
        {
            if (before(hash) != after(hash))
            {
                moved++;
            }
        }

        worst = Math.Max(worst, (double)moved / SampleKeys * (n + 1));
        before = after;
    }

    return worst;
}

static byte[] RandomKey(int seed)
{
    var key = new byte[16];
    new Random(seed).NextBytes(key);
    return key;
}

static ulong[] RandomKeyHashes(int count, int seed)
{
    var random = new Random(seed);
    var key = new byte[16];
    var hashes = new ulong[count];
    for (int i = 0; i < count; i++)
    {
        random.NextBytes(key);
        hashes[i] = Ring.KeyHash(key);
    }

    return hashes;
}

static string[] Names(int n) => [.. Enumerable.Range(0, n).Select(i => $"demo-{i}")];

static RingMember[] Nodes(int n) => [.. Names(n).Select(name => new RingMember(name, "h:7171", "h:6379"))];
