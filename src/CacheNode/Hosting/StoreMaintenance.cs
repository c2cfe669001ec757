using KubeCache.Background;
using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Hosting;

/// <summary>
/// Runs the store's background work: the active expiry cycle, the memory watchdog and the page
/// reclaimer, each started again after a failure, so a bug in one stops none of the others nor the node.
/// </summary>
internal sealed class StoreMaintenance(CacheStore store, BackgroundErrors errors) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        errors.SuperviseAsync("expiry", new ExpiryCycle(store).RunAsync, stoppingToken),
        errors.SuperviseAsync("memory-watchdog", new MemoryWatchdog(store, new GcMemoryPressureProbe(), new MemoryWatchdogOptions()).RunAsync, stoppingToken),
        errors.SuperviseAsync("page-reclaim", store.Reclaimer.RunAsync, stoppingToken));
}
