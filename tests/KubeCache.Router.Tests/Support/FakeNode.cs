using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeCache.Protocol;

namespace KubeCache.Router.Tests.Support;

/// <summary>What the fake node does with one command.</summary>
internal enum FakeReply
{
    /// <summary>Replies with the command's last argument as a bulk string, so every reply can be told apart.</summary>
    Echo,

    /// <summary>Like <see cref="Echo"/>, but this reply and those after it are held back until <see cref="FakeNode.ReleaseHeld"/>.</summary>
    EchoHeld,

    /// <summary>Reads the command and never answers it.</summary>
    Silent,

    /// <summary>Closes the connection without answering this command.</summary>
    Close,

    /// <summary>
    /// Replies with a bulk string of <see cref="FakeNode.TrickleChunks"/> pieces of 64 KiB, one every
    /// <see cref="FakeNode.TrickleInterval"/>: a large reply that takes long in all but keeps arriving.
    /// </summary>
    Trickle,
}

/// <summary>
/// A RESP server the test controls: <see cref="Policy"/> decides, for each command by its index
/// on its connection, whether to answer, stay silent or close. Listens on an ephemeral loopback port.
/// </summary>
internal sealed class FakeNode : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly List<PipeReader> _readers = [];
    private volatile bool _released;
    private readonly Task _accepting;
    private int _accepted;
    private int _commands;
    private int _replies;

    private FakeNode(Func<int, FakeReply> policy)
    {
        Policy = policy;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Consulted for every command; may be changed while connections are open.</summary>
    public Func<int, FakeReply> Policy { get; set; }

    /// <summary>Pieces of a <see cref="FakeReply.Trickle"/> reply, 64 KiB each.</summary>
    public int TrickleChunks { get; init; } = 16;

    /// <summary>Pause before each piece of a <see cref="FakeReply.Trickle"/> reply.</summary>
    public TimeSpan TrickleInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int ConnectionsAccepted => Volatile.Read(ref _accepted);

    public int CommandsReceived => Volatile.Read(ref _commands);

    /// <summary>Echo replies written to the socket (held ones count once they are sent).</summary>
    public int RepliesSent => Volatile.Read(ref _replies);

    public static FakeNode Start(Func<int, FakeReply> policy) => new(policy);

    public static FakeNode Start(Func<int, FakeReply> policy, int trickleChunks, TimeSpan trickleInterval) =>
        new(policy) { TrickleChunks = trickleChunks, TrickleInterval = trickleInterval };

    /// <summary>Sends every reply held back by <see cref="FakeReply.EchoHeld"/>; later replies are no longer held.</summary>
    public void ReleaseHeld()
    {
        _released = true;
        lock (_readers)
        {
            foreach (PipeReader reader in _readers)
            {
                reader.CancelPendingRead();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(socket));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped: the listener throws InvalidOperationException when Stop() ran between two accepts.
        }
    }

    // On a thread of its own, so that the pieces keep their pace while the test process's thread
    // pool is busy with the tests running beside this one.
    private Task TrickleAsync(NetworkStream stream) =>
        Task.Factory.StartNew(() => Trickle(stream), _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Trickle(NetworkStream stream)
    {
        byte[] piece = new byte[64 * 1024];
        Array.Fill(piece, (byte)'t');
        stream.Write(Encoding.ASCII.GetBytes($"${piece.Length * TrickleChunks}\r\n"));
        for (int i = 0; i < TrickleChunks; i++)
        {
            if (_stop.Token.WaitHandle.WaitOne(TrickleInterval))
            {
                return;
            }

            stream.Write(piece);
        }

        stream.Write("\r\n"u8);
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        PipeReader input = PipeReader.Create(stream);
        lock (_readers)
        {
            _readers.Add(input);
        }

        using var command = new RespCommand();
        var output = new ArrayBufferWriter<byte>();
        int index = 0;
        bool holding = false;
        int unsent = 0;
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync(_stop.Token);
                ReadOnlySequence<byte> buffer = result.Buffer;
                bool close = false;
                while (!close && RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _) == RespReadStatus.Complete)
                {
                    Interlocked.Increment(ref _commands);
                    FakeReply reply = Policy(index++);
                    close = reply == FakeReply.Close;
                    holding |= reply == FakeReply.EchoHeld;
                    if (reply is FakeReply.Echo or FakeReply.EchoHeld)
                    {
                        RespWriter.WriteBulkString(output, command[command.Count - 1]);
                        unsent++;
                    }
                    else if (reply == FakeReply.Trickle)
                    {
                        await stream.WriteAsync(output.WrittenMemory, _stop.Token);
                        output.ResetWrittenCount();
                        await TrickleAsync(stream);
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if ((!holding || _released) && output.WrittenCount > 0)
                {
                    await stream.WriteAsync(output.WrittenMemory, _stop.Token);
                    output.ResetWrittenCount();
                    Interlocked.Add(ref _replies, unsent);
                    unsent = 0;
                }

                if (close || (result.IsCompleted && !result.IsCanceled))
                {
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // Stopped, or the client went away.
        }
        finally
        {
            await input.CompleteAsync();
        }
    }
}
