using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

// bench/Mix PORT CONNECTIONS SECONDS MGET_EVERY [DEPTH] [KEYS]: CONNECTIONS connections to
// 127.0.0.1:PORT, each sending SET and GET (half each, random keys of KEYS, 3-byte values) DEPTH
// at a time (default 1: each waits for its reply) and, every MGET_EVERY-th command (0: never), an
// MGET of five keys instead, for SECONDS. Prints the commands answered and the rate. Any error
// reply stops the run with a message.
int port = int.Parse(args[0], CultureInfo.InvariantCulture);
int connections = int.Parse(args[1], CultureInfo.InvariantCulture);
double seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
int mgetEvery = int.Parse(args[3], CultureInfo.InvariantCulture);
int depth = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
int keys = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 100_000;

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
var clock = Stopwatch.StartNew();
long[] answered = await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(() => RunAsync(c))));
double elapsed = clock.Elapsed.TotalSeconds;
long total = answered.Sum();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total} commands in {elapsed:F2} s: {total / elapsed:F0}/s"));

async Task<long> RunAsync(int connection)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
    var random = new Random(connection);
    var reader = new ReplyReader(socket);
    long count = 0;
    var batch = new List<byte>();
    while (!stop.IsCancellationRequested)
    {
        batch.Clear();
        for (int i = 0; i < depth; i++)
        {
            batch.AddRange(Encode(mgetEvery > 0 && (count + i) % mgetEvery == mgetEvery - 1
                ? ["MGET", Key(), Key(), Key(), Key(), Key()]
                : random.Next(2) == 0 ? ["SET", Key(), "xyz"] : ["GET", Key()]));
        }

        await socket.SendAsync(batch.ToArray(), SocketFlags.None);
        for (int i = 0; i < depth; i++)
        {
            await reader.SkipReplyAsync();
        }

        count += depth;
    }

    return count;

    string Key() => "mix:" + random.Next(keys).ToString(CultureInfo.InvariantCulture);
}

static byte[] Encode(string[] command)
{
    var text = new StringBuilder().Append('*').Append(command.Length).Append("\r\n");
    foreach (string argument in command)
    {
        text.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
    }

    return Encoding.UTF8.GetBytes(text.ToString());
}

/// <summary>Reads whole RESP2 replies (simple, error, integer, bulk, array) off a socket.</summary>
internal sealed class ReplyReader(Socket socket)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public async Task SkipReplyAsync()
    {
        int pending = 1;
        while (pending > 0)
        {
            string line = await LineAsync();
            pending--;
            switch (line[0])
            {
                case '-':
                    throw new InvalidOperationException("The server answered " + line);
                case '$' when line != "$-1":
                    await SkipAsync(int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture) + 2);
                    break;
                case '*' when line != "*-1":
                    pending += int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
                    break;
            }
        }
    }

    private async Task<string> LineAsync()
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                string line = Encoding.ASCII.GetString(_buffer, _start, newline - 1 - _start);
                _start = newline + 1;
                return line;
            }

            await FillAsync();
        }
    }

    private async Task SkipAsync(int bytes)
    {
        while (bytes > 0)
        {
            if (_start == _end)
            {
                await FillAsync();
            }

            int skipped = Math.Min(bytes, _end - _start);
            _start += skipped;
            bytes -= skipped;
        }
    }

    private async Task FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        int read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        if (read == 0)
        {
            throw new InvalidOperationException("The server closed the connection.");
        }

        _end += read;
    }
}
