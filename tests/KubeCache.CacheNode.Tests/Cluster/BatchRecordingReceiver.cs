using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>
/// A stand-in new owner that takes the ring its sender declares (KVRING) and answers <c>:1</c> to
/// every KVHANDOFF, but only once its sender has
/// stopped writing: everything a sender writes before it waits for replies arrives as one burst,
/// so the largest burst is at least the largest batch the sender put on the wire. Made to
/// <c>hangUp</c>, it answers no KVHANDOFF: after the first burst it closes the connection and
/// stops listening, so the sender's attempt ends without an answer and its retries are refused.
/// </summary>
internal sealed class BatchRecordingReceiver : IAsyncDisposable
{
    /// <summary>How long the connection must stay quiet before the burst counts as complete.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly bool _hangUp;
    private long _keys;
    private long _largestBurstBytes;


    public BatchRecordingReceiver(bool hangUp = false)
    {
        _hangUp = hangUp;
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public long Keys => Volatile.Read(ref _keys);

    public long LargestBurstBytes => Volatile.Read(ref _largestBurstBytes);

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
                _ = AnswerAsync(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed, or stopped listening after hanging up.
        }
    }

    private async Task AnswerAsync(Socket socket)
    {
        using Socket owned = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        PipeReader input = PipeReader.Create(stream);
        using var command = new RespCommand();
        int unanswered = 0;
        long burstBytes = 0;
        byte[] ring = [];
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync(_stop.Token);
                ReadOnlySequence<byte> buffer = result.Buffer;
                var ringReplies = new List<byte>();
                long mark = buffer.Length;
                while (RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _) == RespReadStatus.Complete)
                {
                    long frame = mark - buffer.Length;
                    mark = buffer.Length;
                    if (command[0].SequenceEqual("KVRING"u8))
                    {
                        // The sender declares its ring first and reads this node's back: answer with its own.
                        ring = command.Count == 2 ? command[1].ToArray() : ring;
                        ringReplies.AddRange(command.Count == 2 ? ":1\r\n"u8.ToArray() : Bulk(ring));
                        continue;
                    }

                    if (command[0].SequenceEqual("KVDONE"u8))
                    {
                        // The sender's handoff is over; not a handed-off key.
                        ringReplies.AddRange("+OK\r\n"u8.ToArray());
                        continue;
                    }

                    unanswered++;
                    burstBytes += frame;
                }

                if (ringReplies.Count > 0)
                {
                    await stream.WriteAsync(ringReplies.ToArray(), _stop.Token);
                }

                bool drained = buffer.IsEmpty;
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }

                if (unanswered > 0 && drained && await QuietAsync(socket))
                {
                    InterlockedMax(ref _largestBurstBytes, burstBytes);
                    Interlocked.Add(ref _keys, unanswered);
                    if (_hangUp)
                    {
                        _listener.Stop();
                        return;
                    }

                    await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(":1\r\n", unanswered))), _stop.Token);
                    unanswered = 0;
                    burstBytes = 0;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }
    }

    private static byte[] Bulk(byte[] value) =>
        [.. System.Text.Encoding.ASCII.GetBytes($"${value.Length}\r\n"), .. value, .. "\r\n"u8];

    private async Task<bool> QuietAsync(Socket socket)
    {
        await Task.Delay(Quiet, _stop.Token);
        return socket.Available == 0;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
