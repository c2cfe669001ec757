using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

public sealed class StoreOptionsTests
{
    private const long Capacity = 64L << 20;

    public static TheoryData<StoreOptions, string> InvalidOptions => new()
    {
        { new StoreOptions { CapacityBytes = Capacity, ShardCount = 0 }, "shards" },
        { new StoreOptions { CapacityBytes = Capacity, ShardCount = 65537 }, "shards" },
        { new StoreOptions { CapacityBytes = Capacity, MaxKeyBytes = 0 }, "max-key-bytes" },
        { new StoreOptions { CapacityBytes = Capacity, MaxKeyBytes = 1 << 17 }, "max-key-bytes" },
        { new StoreOptions { CapacityBytes = Capacity, MaxValueBytes = -1 }, "max-value-bytes" },
        { new StoreOptions { CapacityBytes = Capacity, MaxValueBytes = int.MaxValue }, "max-value-bytes" },
        { new StoreOptions { CapacityBytes = Capacity, DefaultTtl = TimeSpan.Zero }, "default-ttl" },
        { new StoreOptions { CapacityBytes = Capacity, DefaultTtl = TimeSpan.FromSeconds(-1) }, "default-ttl" },
        { new StoreOptions { CapacityBytes = 1024, ShardCount = 1 }, "max-memory" },
        { new StoreOptions { CapacityBytes = Capacity, ShardCount = 65536 }, "max-memory" },
        { new StoreOptions { CapacityBytes = RecordArena.MaxBytes + 1, ShardCount = 1 }, "raise shards" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_InvalidSetting_ThrowsNamingTheSetting(StoreOptions options, string setting)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CacheStore(new StoreOptions { CapacityBytes = 1, ShardCount = 1 }));
    }

    [Fact]
    public void Validate_ShardExactlyHoldingLargestEntry_Passes()
    {
        var options = new StoreOptions
        {
            CapacityBytes = 4L * (8 + 100 + StoreOptions.EntryOverheadBytes),
            ShardCount = 4,
            MaxKeyBytes = 8,
            MaxValueBytes = 100,
        };

        options.Validate();
        Assert.Throws<ArgumentException>(() => new StoreOptions
        {
            CapacityBytes = options.CapacityBytes - 1,
            ShardCount = 4,
            MaxKeyBytes = 8,
            MaxValueBytes = 100,
        }.Validate());
    }

    [Fact]
    public void Defaults_AreThoseDocumented()
    {
        var options = new StoreOptions { CapacityBytes = 1L << 30 };
        var watchdog = new MemoryWatchdogOptions();

        Assert.Equal(48, StoreOptions.EntryOverheadBytes);
        Assert.Equal(64, options.ShardCount);
        Assert.Equal(256, options.MaxKeyBytes);
        Assert.Equal(1024 * 1024, options.MaxValueBytes);
        Assert.Null(options.DefaultTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.ExpiryCycleInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(2.5), options.ExpiryCycleBudget);
        Assert.Equal(256, options.ExpirySlotsPerStep);
        Assert.Equal((1L << 30) / 64, options.ShardCapacityBytes);
        Assert.Equal(TimeSpan.FromSeconds(1), watchdog.CheckInterval);
        Assert.Equal(0.9, watchdog.LowWaterFraction);
        options.Validate();
    }
}
