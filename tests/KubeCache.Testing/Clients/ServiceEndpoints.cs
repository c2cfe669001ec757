using System.Net;
using System.Net.Sockets;

namespace KubeCache.Testing.Clients;

/// <summary>
/// A Service's virtual address as kube-proxy gives it to clients: each new connection goes to one
/// of the ready endpoints (round robin), and a connection once open stays with its pod until
/// either side closes it. Whoever plays the EndpointSlice controller calls <see cref="Set"/>
/// (a test directly, the simulated cluster from the pods' Ready condition and deletion).
/// With no ready endpoint a connection is refused, as kube-proxy's reject rule does.
/// </summary>
public sealed class ServiceEndpoints
{
    private volatile IPEndPoint[] _ready = [];
    private int _next;

    /// <summary>The endpoints new connections go to now.</summary>
    public IReadOnlyList<IPEndPoint> Ready => _ready;

    public void Set(IEnumerable<IPEndPoint> ready) => _ready = [.. ready];

    /// <summary>A TCP connection to the next ready endpoint.</summary>
    /// <exception cref="SocketException">No endpoint is ready (ConnectionRefused), or the one chosen refused.</exception>
    public async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        IPEndPoint[] ready = _ready;
        if (ready.Length == 0)
        {
            throw new SocketException((int)SocketError.ConnectionRefused);
        }

        IPEndPoint target = ready[(int)((uint)Interlocked.Increment(ref _next) % ready.Length)];
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An HttpClient whose connections go through the Service: keep-alive connections are pooled
    /// as usual, and each new one is made by <see cref="ConnectAsync"/>.
    /// </summary>
    public HttpClient CreateHttpClient(TimeSpan timeout) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (_, cancellationToken) => new NetworkStream(await ConnectAsync(cancellationToken), ownsSocket: true),
    })
    {
        BaseAddress = new Uri("http://service/"),
        Timeout = timeout,
    };
}
