using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Hosting;

/// <summary>Runs the store's background work: the active expiry cycle and the memory watchdog.</summary>
internal sealed class StoreMaintenance(CacheStore store) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        new ExpiryCycle(store).RunAsync(stoppingToken),
        new MemoryWatchdog(store, new GcMemoryPressureProbe(), new MemoryWatchdogOptions()).RunAsync(stoppingToken));
}
