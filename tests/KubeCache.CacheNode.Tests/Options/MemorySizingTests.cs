using KubeCache.CacheNode.Options;
using KubeCache.Configuration;

namespace KubeCache.CacheNode.Tests.Options;

/// <summary>How a container's memory limit bounds --max-memory (the container limit is set here, not detected).</summary>
public class MemorySizingTests
{
    private const long Limit = 512L << 20;

    /// <summary>
    /// Regression: 75% of a 512 MiB limit (the production example's ratio) was accepted although its
    /// record pages, garbage share included, could fill the whole heap, and a full node then failed
    /// requests with OutOfMemoryException.
    /// </summary>
    [Fact]
    public void Validate_BudgetWhosePagesFillTheHeap_IsRefusedNamingTheFlagTheLimitAndTheHeadroom()
    {
        NodeOptions options = new() { ContainerMemoryLimit = Limit, MaxMemoryBytes = Limit * 3 / 4 };

        OptionException error = Assert.Throws<OptionException>(options.Validate);

        Assert.Equal("--max-memory", error.Flag);
        Assert.Contains($"{Limit}-byte memory limit", error.Message, StringComparison.Ordinal);
        Assert.Contains("--memory-headroom (67108864)", error.Message, StringComparison.Ordinal);
        // (512 - 64 reserve - 64 headroom) MiB, of which 7/8 live: 336 MiB.
        Assert.Contains("Lower --max-memory to 352321536", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TheProductionExample_IsAccepted()
    {
        NodeOptions options = new() { ContainerMemoryLimit = 4L << 30, MaxMemoryBytes = 3L << 30 };

        options.Validate();

        Assert.Equal((4L << 30) - (64L << 20), options.Sizing!.Value.HeapLimit);
    }

    [Fact]
    public void ResolveMaxMemory_SmallContainer_IsClampedToWhatTheHeapHolds()
    {
        NodeOptions options = new() { ContainerMemoryLimit = 256L << 20 };

        // 70% would be 179 MiB; the heap gets 256 - 64 = 192 MiB, less 64 MiB headroom, of which entries may fill 7/8.
        Assert.Equal(112L << 20, options.ResolveMaxMemory());
        options.Validate();
    }

    [Fact]
    public void Validate_HeadroomAsLargeAsTheHeap_IsRefusedNamingTheHeadroom()
    {
        NodeOptions options = new() { ContainerMemoryLimit = 128L << 20, MemoryHeadroomBytes = 64L << 20 };

        Assert.Equal("--memory-headroom", Assert.Throws<OptionException>(options.Validate).Flag);
    }

    [Fact]
    public void Validate_ReserveAsLargeAsTheLimit_IsRefusedNamingTheReserve()
    {
        NodeOptions options = new() { ContainerMemoryLimit = 64L << 20 };

        Assert.Equal("--memory-reserve", Assert.Throws<OptionException>(options.Validate).Flag);
    }

    [Fact]
    public void Validate_NoContainerLimit_LeavesTheBudgetAlone()
    {
        NodeOptions options = new() { ContainerMemoryLimit = null, MaxMemoryBytes = 64L << 30 };

        options.Validate();

        Assert.Null(options.Sizing);
    }
}
