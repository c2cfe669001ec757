namespace KubeCache.Configuration;

/// <summary>
/// How a container's memory limit is split, the one rule the node applies at start-up and the
/// operator applies to a KvCluster's <c>resources.limits.memory</c>. A node's record pages live on
/// the GC heap, so the heap's hard limit is the container limit minus <see cref="ReserveBytes"/>
/// (the runtime, JIT code, thread stacks and native socket buffers live outside the heap): the GC
/// then collects before the container is out of memory instead of the kernel killing it, and the
/// runtime's own default (75% of the limit) no longer caps a budget above it. The byte budget may
/// fill the heap but for the share of record pages that may be garbage awaiting compaction.
/// </summary>
/// <param name="ContainerLimit">The cgroup memory limit, in bytes.</param>
/// <param name="ReserveBytes">Bytes kept outside the GC heap (--memory-reserve).</param>
public readonly record struct MemorySizing(long ContainerLimit, long ReserveBytes)
{
    /// <summary>
    /// Default --memory-reserve, in bytes: 64 MiB, as the runtime, JIT code, thread stacks and
    /// socket buffers of a node under a write stream measured below 48 MiB.
    /// </summary>
    public const long DefaultReserveBytes = 64L * 1024 * 1024;

    /// <summary>Share of the memory limit the budget takes when --max-memory is not given: 70%, leaving room for the runtime.</summary>
    public const double DefaultBudgetShare = 0.7;

    /// <summary>Garbage may reach 1/this of a node's allocated record pages before compaction starts, so the budget leaves it free.</summary>
    public const int GarbageShareDivisor = 8;

    /// <summary>The GC heap's hard limit, in bytes.</summary>
    public long HeapLimit => ContainerLimit - ReserveBytes;

    /// <summary>The largest --max-memory the heap holds, in bytes: the heap less the garbage share record pages may reach.</summary>
    public long MaxBudget => HeapLimit - (HeapLimit / GarbageShareDivisor);

    /// <summary>The budget when --max-memory is not given: <see cref="DefaultBudgetShare"/> of the limit, no more than <see cref="MaxBudget"/>.</summary>
    public long DefaultBudget => Math.Min((long)(ContainerLimit * DefaultBudgetShare), MaxBudget);

    /// <summary>
    /// Why <paramref name="budget"/> bytes (or the reserve itself) do not fit this limit, naming the
    /// flag to change; null when they fit. The node throws it at start-up, the operator reports its
    /// message on the KvCluster.
    /// </summary>
    public OptionException? Misfit(long budget)
    {
        if (HeapLimit <= 0)
        {
            return new OptionException("--memory-reserve", $"{ReserveBytes} bytes leaves {HeapLimit} of the container's {ContainerLimit}-byte memory limit for the cache; lower it or raise the limit.");
        }

        return budget <= MaxBudget ? null
            : new OptionException("--max-memory", $"{budget} bytes does not fit the container's {ContainerLimit}-byte memory limit: " +
                $"the GC heap gets the limit less --memory-reserve ({ReserveBytes}), {HeapLimit} bytes, and entries at most {MaxBudget} of it " +
                $"(1/{GarbageShareDivisor} stays free for garbage awaiting compaction). Lower --max-memory to {MaxBudget} or less, or raise the memory limit.");
    }

    /// <summary>Gives the running GC its hard limit; called once at start-up, before the store fills.</summary>
    public void ApplyToRuntime()
    {
        AppContext.SetData("GCHeapHardLimit", (ulong)HeapLimit);
        GC.RefreshMemoryLimit();
    }
}
