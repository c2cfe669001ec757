using System.IO.Pipelines;
using KubeCache.CacheNode.Metrics;
using KubeCache.CacheNode.Resp;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.CacheNode.Hosting;

/// <summary>
/// Lets one port serve both protocols: a connection whose first byte is <c>*</c> (a RESP array)
/// goes to the RESP handler, anything else continues to HTTP. The byte is only peeked, so the
/// chosen protocol reads the connection from its start.
/// </summary>
internal static class ProtocolSniffer
{
    public static ConnectionDelegate Create(ConnectionDelegate http, RespConnectionHandler resp, NodeMetrics metrics) => async connection =>
    {
        PipeReader input = connection.Transport.Input;
        ReadResult result = await input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
        ReadOnlySequence<byte> buffer = result.Buffer;
        if (buffer.IsEmpty)
        {
            input.AdvanceTo(buffer.Start);
            return;
        }

        bool isResp = buffer.FirstSpan[0] == (byte)'*';
        input.AdvanceTo(buffer.Start);
        if (isResp)
        {
            await resp.HandleAsync(connection).ConfigureAwait(false);
            return;
        }

        metrics.ConnectionOpened(resp: false);
        try
        {
            await http(connection).ConfigureAwait(false);
        }
        finally
        {
            metrics.ConnectionClosed(resp: false);
        }
    };
}
