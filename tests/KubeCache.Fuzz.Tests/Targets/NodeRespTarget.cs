using System.Buffers;
using System.Net;
using System.Net.Sockets;
using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.Protocol;

namespace KubeCache.Fuzz.Tests.Targets;

/// <summary>
/// A real node's RESP listener: the input is sent on a new connection, which is then half-closed,
/// and everything the node sends until it closes is read. Oracle: the node's bytes are valid
/// RESP replies with nothing left over; there is one reply per command that
/// <see cref="RespCommandReader"/> finds in the input with the node's limits (up to and
/// including a QUIT), plus a final <c>-ERR Protocol error…</c> when the input turns malformed;
/// and a new connection's PING gets PONG afterwards.
/// </summary>
public sealed class NodeRespTarget(IPEndPoint endPoint, RespLimits nodeLimits) : IAsyncFuzzTarget
{
    public string Name => "node-resp";

    public IReadOnlyList<byte[]> Corpus { get; } = FuzzTokens.Ascii(
        "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n",
        "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*3\r\n$6\r\nINCRBY\r\n$1\r\nn\r\n$2\r\n-5\r\n*2\r\n$3\r\nTTL\r\n$1\r\nn\r\n",
        "*5\r\n$3\r\nSET\r\n$1\r\nt\r\n$1\r\nv\r\n$2\r\nPX\r\n$3\r\n100\r\n*3\r\n$6\r\nEXPIRE\r\n$1\r\nt\r\n$2\r\n10\r\n",
        "*5\r\n$4\r\nMSET\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n*3\r\n$4\r\nMGET\r\n$1\r\nx\r\n$1\r\ny\r\n",
        "*3\r\n$6\r\nAPPEND\r\n$1\r\ns\r\n$3\r\nabc\r\n*2\r\n$6\r\nSTRLEN\r\n$1\r\ns\r\n*2\r\n$4\r\nTYPE\r\n$1\r\ns\r\n",
        "*4\r\n$4\r\nSCAN\r\n$1\r\n0\r\n$5\r\nCOUNT\r\n$2\r\n10\r\n*1\r\n$6\r\nDBSIZE\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n",
        "PING\r\nGETEX a PERSIST\r\nDEL a x y\r\nEXISTS a\r\nSETEX k 10 v\r\n",
        "SETRANGE s 5 x\r\nGETRANGE s -3 -1\r\nSETBIT b 7 1\r\nBITCOUNT b 0 -1 BIT\r\nBITPOS b 1 2\r\nINCRBYFLOAT f 1.5e2\r\n",
        "MSETNX a 1 c 2\r\nRENAME a b\r\nCOPY b c REPLACE\r\nLCS b c IDX WITHMATCHLEN\r\nKEYS *\r\nRANDOMKEY\r\nOBJECT ENCODING b\r\nEXPIRE b 10 GT\r\n",
        "*2\r\n$5\r\nHELLO\r\n$1\r\n2\r\n*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n");

    public IReadOnlyList<byte[]> Tokens { get; } = new RespCommandTarget().Tokens;

    public IReadOnlyList<byte> Alphabet { get; } = new RespCommandTarget().Alphabet;

    public async Task<string> RunAsync(FuzzCase fuzzCase, CancellationToken cancel)
    {
        (int expected, bool protocolError) = Expect(fuzzCase.Input);
        byte[] received = await ExchangeAsync(fuzzCase.Input, cancel).ConfigureAwait(false);
        RespTranscript<RespValue> replies = RespFeeder.Whole<RespValue>(received, Read);
        Oracle.That(replies.Final == RespReadStatus.Incomplete && replies.Remaining == 0, "replies",
            $"the node's output is not a sequence of whole replies: {replies}");
        Oracle.That(replies.Frames.Count == expected, "reply-count",
            $"the input holds {expected} commands{(protocolError ? " and then a malformed frame" : string.Empty)}; the node sent {replies.Frames.Count} replies");
        if (protocolError)
        {
            RespValue last = replies.Frames[^1];
            Oracle.That(last.IsError && last.AsString()!.StartsWith("ERR Protocol error", StringComparison.Ordinal), "protocol-error",
                $"a malformed frame must get -ERR Protocol error…; the last reply was {last}");
        }

        byte[] pong = await ExchangeAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), cancel).ConfigureAwait(false);
        Oracle.That(pong.AsSpan().SequenceEqual("+PONG\r\n"u8), "alive", "PING on a new connection did not get PONG after the case");
        return protocolError ? "protocol error" : expected == 0 ? "no command" : "commands";
    }

    private static RespReadStatus Read(ref ReadOnlySequence<byte> buffer, out RespValue? frame, out RespReadError error) =>
        RespReplyReader.TryRead(ref buffer, RespLimits.Default, out frame, out error);

    /// <summary>Replies the node owes: one per command up to a QUIT, plus one for a malformed frame.</summary>
    private (int Replies, bool ProtocolError) Expect(byte[] input)
    {
        using var command = new RespCommand();
        var buffer = new ReadOnlySequence<byte>(input);
        int replies = 0;
        while (true)
        {
            RespReadStatus status = RespCommandReader.TryRead(ref buffer, nodeLimits, command, out _);
            if (status != RespReadStatus.Complete)
            {
                return status == RespReadStatus.ProtocolError ? (replies + 1, true) : (replies, false);
            }

            replies++;
            if (command.NameIs("QUIT"u8))
            {
                return (replies, false);
            }
        }
    }

    // Sends the input, half-closes, and reads until the node closes. A reset counts as closed.
    private async Task<byte[]> ExchangeAsync(byte[] input, CancellationToken cancel)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(endPoint, cancel).ConfigureAwait(false);
        NetworkStream stream = tcp.GetStream();
        await stream.WriteAsync(input, cancel).ConfigureAwait(false);
        tcp.Client.Shutdown(SocketShutdown.Send);
        var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, cancel).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
        }

        return received.ToArray();
    }
}
