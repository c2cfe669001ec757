using KubeCache.CacheNode.Storage;
using KubeCache.Configuration;
using KubeCache.Hosting.Options;

namespace KubeCache.CacheNode.Options;

/// <summary>
/// Everything a node can be told at start-up. Each default lives here once, with its unit;
/// <see cref="NodeOptionTable"/> maps flags and KVCACHE_* variables onto these properties.
/// </summary>
public sealed class NodeOptions : ServerOptions
{
    /// <summary>Byte budget for keys, values and per-entry overhead; null derives it from the memory limit.</summary>
    public long? MaxMemoryBytes { get; set; }

    /// <summary>
    /// Bytes of the container's memory limit kept outside the GC heap, which gets the rest (see
    /// <see cref="MemorySizing"/>). Default <see cref="MemorySizing.DefaultReserveBytes"/>.
    /// </summary>
    public long MemoryReserveBytes { get; set; } = MemorySizing.DefaultReserveBytes;

    /// <summary>
    /// Bytes of the GC heap kept from entries for the work of serving them (see
    /// <see cref="MemorySizing"/>). Default <see cref="MemorySizing.DefaultHeadroomBytes"/>.
    /// </summary>
    public long MemoryHeadroomBytes { get; set; } = MemorySizing.DefaultHeadroomBytes;

    /// <summary>The memory limit of the process's cgroup, detected at start-up; null outside a container with a limit.</summary>
    public long? ContainerMemoryLimit { get; set; } = MemoryLimit.DetectContainer();

    /// <summary>How the container's limit is split between the GC heap and the rest; null without a container limit.</summary>
    public MemorySizing? Sizing => ContainerMemoryLimit is { } limit ? new MemorySizing(limit, MemoryReserveBytes, MemoryHeadroomBytes) : null;

    /// <summary>Number of shards; null picks one from <see cref="MaxMemoryBytes"/> (see <see cref="ResolveShards"/>).</summary>
    public int? Shards { get; set; }

    /// <summary>Longest key, in bytes. Default 256, the reference implementations' limit.</summary>
    public int MaxKeyBytes { get; set; } = EntryLimits.DefaultMaxKeyBytes;

    /// <summary>Longest value, in bytes. Default <see cref="EntryLimits.DefaultMaxValueBytes"/> (1 MiB).</summary>
    public int MaxValueBytes { get; set; } = EntryLimits.DefaultMaxValueBytes;

    /// <summary>TTL for writes that give none; null (default) keeps such entries until evicted.</summary>
    public TimeSpan? DefaultTtl { get; set; }

    /// <summary>This node's name in the ring; default the host name (a StatefulSet pod's name).</summary>
    public string NodeName { get; set; } = Environment.GetEnvironmentVariable("HOSTNAME") is { Length: > 0 } host ? host : System.Net.Dns.GetHostName();

    /// <summary>Whether the node follows a ring source (<see cref="ServerOptions.RingFile"/> or <see cref="ServerOptions.RingConfigMap"/>) rather than running alone.</summary>
    public bool FollowsRingSource => RingFile is not null || RingConfigMap is not null;

    /// <summary>
    /// How long <c>GET /cluster/prestop</c> waits for a handoff in progress. Default 110 s: it
    /// returns inside the pod's 120 s termination grace period, leaving time to stop.
    /// </summary>
    public TimeSpan PrestopTimeout { get; set; } = TimeSpan.FromSeconds(110);

    /// <summary>
    /// How long, within <see cref="PrestopTimeout"/>, <c>GET /cluster/prestop</c> waits for a ring
    /// without this node while it is still a member: the operator publishes one when it sees the
    /// pod terminating (a drain, an eviction, a <c>kubectl delete pod</c>), and the node's keys
    /// then hand off before it stops. Default 15 s: the operator takes a node out within a
    /// reconcile of seeing it terminate, and when none does (the KvCluster is being deleted, no
    /// operator runs) the pod stops after this rather than at the end of its grace period.
    /// </summary>
    public TimeSpan PrestopLeaveTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a command whose key's previous owner cannot be reached waits for a newer ring
    /// before it is answered <c>-TRYAGAIN</c>: a rebalance that finished at its deadline stops
    /// that owner, and this node's ring source may deliver the finished ring a moment after the
    /// owner went. Default 1 s, about a ConfigMap watch's delivery; 0 answers at once.
    /// </summary>
    public TimeSpan PreviousOwnerWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most keys per handoff batch sent to a new owner. Default 500: few round trips for small values.</summary>
    public int HandoffBatchKeys { get; set; } = 500;

    /// <summary>
    /// Most bytes per handoff batch on the wire (keys, values and framing); a single larger entry
    /// goes alone. Default 4 MiB: a batch takes milliseconds between pods, far inside the
    /// sender's 10 s reply timeout, and large values never pile up hundreds of MiB in flight.
    /// </summary>
    public long HandoffBatchBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>Most shards chosen automatically: 64 keeps lock contention negligible on the cores a pod gets.</summary>
    public const int MaxAutoShards = 64;

    /// <summary>Each automatically sized shard holds at least this many entries of the largest size.</summary>
    public const int MinLargestEntriesPerShard = 8;

    /// <summary>The explicit budget, else the container's <see cref="MemorySizing.DefaultBudget"/>, else a share of physical memory.</summary>
    public long ResolveMaxMemory() =>
        MaxMemoryBytes ?? Sizing?.DefaultBudget ?? (long)(MemoryLimit.Detect() * MemorySizing.DefaultBudgetShare);

    /// <summary>The explicit shard count, or the largest power of two up to 64 that keeps 8 largest entries per shard.</summary>
    public int ResolveShards()
    {
        if (Shards is { } shards)
        {
            return shards;
        }

        long largestEntry = (long)MaxKeyBytes + MaxValueBytes + StoreOptions.EntryOverheadBytes;
        long fit = ResolveMaxMemory() / (largestEntry * MinLargestEntriesPerShard);
        int count = 1;
        while (count < MaxAutoShards && count * 2L <= fit)
        {
            count *= 2;
        }

        return count;
    }

    /// <summary>
    /// The fewest bytes of dropped pages between two full collections the node asks for, 4 MiB, so
    /// a small or zero --memory-headroom does not turn every dropped page into a collection.
    /// </summary>
    public const long MinReclaimAfterDroppedBytes = 4L << 20;

    public StoreOptions ToStoreOptions() => new()
    {
        CapacityBytes = ResolveMaxMemory(),
        ShardCount = ResolveShards(),
        MaxKeyBytes = MaxKeyBytes,
        MaxValueBytes = MaxValueBytes,
        DefaultTtl = DefaultTtl,
        ReclaimAfterDroppedBytes = Math.Max(MemoryHeadroomBytes / 4, MinReclaimAfterDroppedBytes),
    };

    /// <summary>Throws <see cref="OptionException"/> naming the flag when a value cannot work.</summary>
    public void Validate()
    {
        ValidateServer();
        if (Shards is < 1 or > 65536)
        {
            throw new OptionException("--shards", $"must be between 1 and 65536 (got {Shards}).");
        }

        if (RespMaxBulkBytes < Math.Max(MaxValueBytes, MaxKeyBytes))
        {
            throw new OptionException("--resp-max-bulk-bytes", $"must be at least --max-value-bytes ({MaxValueBytes}) so every storable value can be sent.");
        }

        if (string.IsNullOrWhiteSpace(NodeName))
        {
            throw new OptionException("--node-name", "must not be empty.");
        }

        if (HandoffBatchKeys < 1 || HandoffBatchBytes < 1)
        {
            throw new OptionException(HandoffBatchKeys < 1 ? "--handoff-batch-keys" : "--handoff-batch-bytes", "must be positive.");
        }

        if (PrestopTimeout < TimeSpan.Zero)
        {
            throw new OptionException("--prestop-timeout", "must not be negative.");
        }

        if (PrestopLeaveTimeout < TimeSpan.Zero)
        {
            throw new OptionException("--prestop-leave-timeout", "must not be negative.");
        }

        if (PreviousOwnerWait < TimeSpan.Zero)
        {
            throw new OptionException("--previous-owner-wait", "must not be negative.");
        }

        ValidateMemory();
        try
        {
            ToStoreOptions().Validate();
        }
        catch (ArgumentException e)
        {
            throw new OptionException("--max-memory", e.Message);
        }
    }

    private void ValidateMemory()
    {
        if (MemoryReserveBytes < 0)
        {
            throw new OptionException("--memory-reserve", $"must not be negative (got {MemoryReserveBytes}).");
        }

        if (MemoryHeadroomBytes < 0)
        {
            throw new OptionException("--memory-headroom", $"must not be negative (got {MemoryHeadroomBytes}).");
        }

        if (Sizing?.Misfit(ResolveMaxMemory()) is { } misfit)
        {
            throw misfit;
        }
    }
}
