using System.Buffers;

namespace KubeCache.HttpContract;

/// <summary>
/// The key API's hot requests, for a server's own HTTP/1.1 reader that answers them without
/// Kestrel's per-request machinery: the same validation, backend, replies and metrics as the
/// Kestrel endpoints. A caller sends the reply and disposes its body.
/// </summary>
public interface IHotKeyRequests
{
    /// <summary>
    /// True when replies are usually decided at once (a node's store), so the reader answers them
    /// on the transport's loop as they arrive; false when each waits for a round trip (a router's
    /// nodes), so the reader serves them from the connection's pipes from the start.
    /// </summary>
    bool AnswersAtOnce { get; }

    /// <summary><c>GET /get</c> with <paramref name="query"/>, the raw query string from its '?'.</summary>
    ValueTask<HttpReply> GetAsync(string query, CancellationToken cancellationToken);

    /// <summary><c>POST /put</c> with the whole <paramref name="body"/>, read before this returns (its memory may be reused at once).</summary>
    ValueTask<HttpReply> PutAsync(ReadOnlySequence<byte> body, CancellationToken cancellationToken);
}
