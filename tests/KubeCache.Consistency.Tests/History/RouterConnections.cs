using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.Consistency.Tests.History;

/// <summary>
/// One RESP connection per router, opened when first used. A command that fails (connection
/// refused or broken, no reply in time) answers an error reply and drops the connection, whose
/// replies can no longer be matched to commands.
/// </summary>
public sealed class RouterConnections(ProcessCluster cluster) : IAsyncDisposable
{
    private readonly Dictionary<Participant, RespTestClient> _open = [];

    public async Task<RespValue> CallAsync(Participant router, string[] arguments)
    {
        try
        {
            if (!_open.TryGetValue(router, out RespTestClient? client))
            {
                _open[router] = client = await RespTestClient.ConnectAsync(router.Process?.RespEndPoint
                    ?? throw new IOException($"{router.Name} is not running"));
            }

            return await client.CallAsync(arguments);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (_open.Remove(router, out RespTestClient? broken))
            {
                await broken.DisposeAsync();
            }

            return RespValue.Error($"ERR client: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }

    public IReadOnlyList<Participant> Routers => cluster.Routers;

    public async ValueTask DisposeAsync()
    {
        foreach (RespTestClient client in _open.Values)
        {
            await client.DisposeAsync();
        }

        _open.Clear();
    }
}
