using k8s.Models;
using KubeCache.Configuration;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>
/// A KvCluster's node memory through the node's own rule (<see cref="MemorySizing"/>): the budget
/// derived from <c>resources.limits.memory</c> when <c>maxMemory</c> is not set, and why a budget
/// the container cannot hold is refused before any pod crashes on it.
/// </summary>
public static class NodeMemory
{
    /// <summary>The split of the node container's memory limit; null when the spec sets no memory limit.</summary>
    public static MemorySizing? Sizing(KvClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Resources?.Limits is not { } limits || !limits.TryGetValue("memory", out Quantity limit))
        {
            return null;
        }

        long bytes = (long)new ResourceQuantity(limit.Value).ToDecimal();
        return new MemorySizing(bytes, Bytes(spec.MemoryReserve) ?? MemorySizing.DefaultReserveBytes);
    }

    /// <summary>
    /// The node's --max-memory: spec.maxMemory as written, else the budget the node would derive
    /// from the memory limit (passed explicitly so the pod spec shows it); null with neither.
    /// </summary>
    public static string? MaxMemoryArg(KvClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.MaxMemory
            ?? Sizing(spec)?.DefaultBudget.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Why the spec's memory settings do not fit its memory limit, naming the fields; null when they fit or no limit is set.</summary>
    public static string? Problem(KvClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Sizing(spec) is not { } sizing)
        {
            return null;
        }

        long budget = Bytes(spec.MaxMemory) ?? sizing.DefaultBudget;
        return sizing.Misfit(budget) is { } misfit
            ? $"{Field(misfit.Flag)} does not fit spec.resources.limits.memory ({spec.Resources!.Limits!["memory"]}): {misfit.Message}"
            : null;
    }

    private static string Field(string flag) => flag switch
    {
        "--memory-reserve" => "spec.memoryReserve",
        "--max-memory" => "spec.maxMemory",
        _ => "the node's " + flag,
    };

    // The CRD's pattern admits only what the node's byte grammar reads.
    private static long? Bytes(string? text) =>
        text is not null && OptionValues.TryParseBytes(text, out long bytes) ? bytes : null;
}
