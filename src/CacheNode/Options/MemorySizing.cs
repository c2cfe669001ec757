using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Options;

/// <summary>
/// How a container's memory limit is split. The entries' record pages live on the GC heap, so
/// the heap's hard limit is the container limit minus <see cref="ReserveBytes"/> (the runtime, JIT
/// code, thread stacks and native socket buffers live outside the heap): the GC then collects
/// before the container is out of memory instead of the kernel killing it, and the runtime's own
/// default (75% of the limit) no longer caps a budget above it. The byte budget may fill the
/// heap but for the share of record pages that may be garbage awaiting compaction.
/// </summary>
/// <param name="ContainerLimit">The cgroup memory limit, in bytes.</param>
/// <param name="ReserveBytes">Bytes kept outside the GC heap (--memory-reserve).</param>
public readonly record struct MemorySizing(long ContainerLimit, long ReserveBytes)
{
    /// <summary>The GC heap's hard limit, in bytes.</summary>
    public long HeapLimit => ContainerLimit - ReserveBytes;

    /// <summary>The largest --max-memory the heap holds, in bytes: the heap less the garbage share record pages may reach.</summary>
    public long MaxBudget => HeapLimit - (HeapLimit / RecordArena.GarbageShareDivisor);

    /// <summary>Gives the running GC its hard limit; called once at start-up, before the store fills.</summary>
    public void ApplyToRuntime()
    {
        AppContext.SetData("GCHeapHardLimit", (ulong)HeapLimit);
        GC.RefreshMemoryLimit();
    }
}
