namespace KubeCache.Configuration;

/// <summary>
/// How a container's memory limit is split, the one rule the node applies at start-up and the
/// operator applies to a KvCluster's <c>resources.limits.memory</c>. A node's record pages live on
/// the GC heap, so the heap's hard limit is the container limit minus <see cref="ReserveBytes"/>
/// (the runtime, JIT code, thread stacks and native socket buffers live outside the heap): the GC
/// then collects before the container is out of memory instead of the kernel killing it, and the
/// runtime's own default (75% of the limit) no longer caps a budget above it. Inside the heap,
/// <see cref="HeadroomBytes"/> stay free for what serving takes besides entries (request and
/// connection buffers, replies, compaction's copies, the free space the GC needs to collect), and
/// record pages get the rest, of which up to 1/<see cref="GarbageShareDivisor"/> may be garbage
/// awaiting compaction: the budget is the live share of that.
/// </summary>
/// <param name="ContainerLimit">The cgroup memory limit, in bytes.</param>
/// <param name="ReserveBytes">Bytes kept outside the GC heap (--memory-reserve).</param>
/// <param name="HeadroomBytes">Bytes of the GC heap kept from entries for the work of serving them (--memory-headroom).</param>
public readonly record struct MemorySizing(long ContainerLimit, long ReserveBytes, long HeadroomBytes = MemorySizing.DefaultHeadroomBytes)
{
    /// <summary>
    /// Default --memory-reserve, in bytes: 64 MiB, as the runtime, JIT code, thread stacks and
    /// socket buffers of a node under a write stream measured below 48 MiB.
    /// </summary>
    public const long DefaultReserveBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Default --memory-headroom, in bytes: 64 MiB. Four of the largest requests a client may send
    /// (--resp-max-bulk-bytes, 16 MiB) in flight at once; with less, a node in a 512 MiB container
    /// whose budget filled the rest of its heap failed an allocation about one run in five under a
    /// stream of 4 KiB writes on a loaded machine (CgroupMemoryTests, docs/reliability.md).
    /// </summary>
    public const long DefaultHeadroomBytes = 64L * 1024 * 1024;

    /// <summary>Share of the memory limit the budget takes when --max-memory is not given: 70%, leaving room for the runtime.</summary>
    public const double DefaultBudgetShare = 0.7;

    /// <summary>Garbage may reach 1/this of a node's allocated record pages before compaction starts, so the budget leaves it free.</summary>
    public const int GarbageShareDivisor = 8;

    /// <summary>The GC heap's hard limit, in bytes.</summary>
    public long HeapLimit => ContainerLimit - ReserveBytes;

    /// <summary>The heap record pages may fill, in bytes: the heap less the headroom.</summary>
    public long PagesLimit => HeapLimit - HeadroomBytes;

    /// <summary>The largest --max-memory the heap holds, in bytes: the pages' limit less the garbage share they may reach.</summary>
    public long MaxBudget => PagesLimit - (PagesLimit / GarbageShareDivisor);

    /// <summary>The budget when --max-memory is not given: <see cref="DefaultBudgetShare"/> of the limit, no more than <see cref="MaxBudget"/>.</summary>
    public long DefaultBudget => Math.Min((long)(ContainerLimit * DefaultBudgetShare), MaxBudget);

    /// <summary>
    /// Why <paramref name="budget"/> bytes (or the reserve and headroom themselves) do not fit this
    /// limit, naming the flag to change; null when they fit. The node throws it at start-up, the
    /// operator reports its message on the KvCluster.
    /// </summary>
    public OptionException? Misfit(long budget)
    {
        if (HeapLimit <= 0)
        {
            return new OptionException("--memory-reserve", $"{ReserveBytes} bytes leaves {HeapLimit} of the container's {ContainerLimit}-byte memory limit for the cache; lower it or raise the limit.");
        }

        if (PagesLimit <= 0)
        {
            return new OptionException("--memory-headroom", $"{HeadroomBytes} bytes leaves {PagesLimit} of the {HeapLimit}-byte GC heap (the container's {ContainerLimit}-byte memory limit less --memory-reserve) for entries; lower it or raise the limit.");
        }

        return budget <= MaxBudget ? null
            : new OptionException("--max-memory", $"{budget} bytes does not fit the container's {ContainerLimit}-byte memory limit: " +
                $"the GC heap gets the limit less --memory-reserve ({ReserveBytes}), {HeapLimit} bytes; serving keeps --memory-headroom ({HeadroomBytes}) of it, " +
                $"and entries get at most {MaxBudget} bytes of the rest (1/{GarbageShareDivisor} of their pages may be garbage awaiting compaction). " +
                $"Lower --max-memory to {MaxBudget} or less, or raise the memory limit.");
    }

    /// <summary>Gives the running GC its hard limit; called once at start-up, before the store fills.</summary>
    public void ApplyToRuntime()
    {
        AppContext.SetData("GCHeapHardLimit", (ulong)HeapLimit);
        GC.RefreshMemoryLimit();
    }
}
