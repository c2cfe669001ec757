using KubeCache.CacheNode.Options;
using KubeCache.Configuration;

namespace KubeCache.CacheNode.Tests.Options;

/// <summary>How a container's memory limit bounds --max-memory (the container limit is set here, not detected).</summary>
public class MemorySizingTests
{
    private const long Limit = 512L << 20;

    [Fact]
    public void Validate_MaxMemoryTheContainerCannotHold_IsRefusedNamingTheFlagAndTheLimit()
    {
        NodeOptions options = new() { ContainerMemoryLimit = Limit, MaxMemoryBytes = 400L << 20 };

        OptionException error = Assert.Throws<OptionException>(options.Validate);

        Assert.Equal("--max-memory", error.Flag);
        Assert.Contains($"{Limit}-byte memory limit", error.Message, StringComparison.Ordinal);
        Assert.Contains("Lower --max-memory to 411041792", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TheProductionExampleRatio_IsAccepted()
    {
        NodeOptions options = new() { ContainerMemoryLimit = Limit, MaxMemoryBytes = Limit * 3 / 4 };

        options.Validate();

        Assert.Equal(Limit - (64L << 20), options.Sizing!.Value.HeapLimit);
    }

    [Fact]
    public void ResolveMaxMemory_SmallContainer_IsClampedToWhatTheHeapHolds()
    {
        NodeOptions options = new() { ContainerMemoryLimit = 256L << 20 };

        // 70% would be 179 MiB; the heap gets 256 - 64 = 192 MiB, of which entries may fill 7/8.
        Assert.Equal(168L << 20, options.ResolveMaxMemory());
        options.Validate();
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
