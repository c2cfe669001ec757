using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Storage;

namespace KubeCache.FakeApiServer.Controllers;

/// <summary>
/// The fake's kube-controller-manager: after every change to the store, one pass of each
/// controller (garbage collector, disruption controller), in order. A pass that raced a
/// conflicting write is left to the next change, which triggers another.
/// </summary>
internal sealed class ControllerLoop(ResourceStore store, IReadOnlyList<Action> passes) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var changed = store.Changed;
            foreach (var pass in passes)
            {
                try
                {
                    pass();
                }
                catch (ApiException)
                {
                    // A conflicting write raced this pass; the next change triggers another.
                }
            }
            try
            {
                await changed.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
