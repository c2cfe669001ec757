using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using KubeCache.Protocol;

namespace KubeCache.Router.Tests.Local;

/// <summary>A raw-socket RESP client that sends a batch of commands in one write and reads every reply.</summary>
internal sealed class RespPipeline : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;

    private RespPipeline(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream);
    }

    public static async Task<RespPipeline> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return new RespPipeline(socket);
    }

    /// <summary>Most commands written before their replies are read, so neither side's socket buffer fills while the other waits.</summary>
    private const int Window = 1_000;

    /// <summary>Sends the commands, up to <see cref="Window"/> per write, and reads every reply; fails when a window takes longer than <paramref name="timeout"/>.</summary>
    public async Task<RespValue[]> SendAsync(IReadOnlyList<string[]> commands, TimeSpan timeout)
    {
        if (commands.Count <= Window)
        {
            return await SendWindowAsync(commands, timeout);
        }

        var replies = new List<RespValue>(commands.Count);
        foreach (string[][] window in commands.Chunk(Window))
        {
            replies.AddRange(await SendWindowAsync(window, timeout));
        }

        return [.. replies];
    }

    private async Task<RespValue[]> SendWindowAsync(IReadOnlyList<string[]> commands, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var output = new ArrayBufferWriter<byte>(commands.Count * 48);
        foreach (string[] command in commands)
        {
            RespCommandWriter.Write(output, command);
        }

        await _stream.WriteAsync(output.WrittenMemory, cancel.Token);
        var replies = new RespValue[commands.Count];
        int read = 0;
        while (read < replies.Length)
        {
            ReadResult result = await _input.ReadAsync(cancel.Token);
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (read < replies.Length && RespReplyReader.TryRead(ref buffer, out RespValue? reply) == RespReadStatus.Complete)
            {
                replies[read++] = reply!;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted && read < replies.Length)
            {
                throw new IOException($"the router closed the connection after {read} of {replies.Length} replies");
            }
        }

        return replies;
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
