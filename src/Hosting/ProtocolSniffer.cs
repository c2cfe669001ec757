using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Hosting;

/// <summary>
/// Lets one port serve both protocols: a connection whose first byte is <c>*</c> (a RESP array)
/// goes to the RESP handler, anything else continues to HTTP. The byte is only peeked, so the
/// chosen protocol reads the connection from its start.
/// </summary>
public static class ProtocolSniffer
{
    /// <param name="http">The rest of Kestrel's pipeline: HTTP/1.1.</param>
    /// <param name="resp">Serves a RESP connection to its end.</param>
    /// <param name="httpConnection">Told true when an HTTP connection opens and false when it closes (for a gauge).</param>
    public static ConnectionDelegate Create(ConnectionDelegate http, Func<ConnectionContext, Task> resp, Action<bool>? httpConnection = null) => async connection =>
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
            await resp(connection).ConfigureAwait(false);
            return;
        }

        httpConnection?.Invoke(true);
        try
        {
            await http(connection).ConfigureAwait(false);
        }
        finally
        {
            httpConnection?.Invoke(false);
        }
    };
}
