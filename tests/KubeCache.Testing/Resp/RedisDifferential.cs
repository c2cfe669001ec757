using System.Net;
using System.Text;
using KubeCache.Protocol;

namespace KubeCache.Testing;

/// <summary>
/// The same command scripts sent to a real redis-server and to a KubeCache node or router: every
/// reply, error texts included, must be identical. Each script starts from an empty keyspace on
/// both sides (FLUSHALL), so replies that list keys can be compared. Arguments are Latin-1, so a
/// script can hold any byte. Absolute expiries (EXPIREAT in 2100) keep TTL replies exact.
/// </summary>
public static partial class RedisDifferential
{
    private const string Year2100 = "4102444800";

    public static readonly IReadOnlyDictionary<string, string[][]> Scripts = StringScripts().Concat(HashScripts()).Concat(AspNetCoreScripts()).ToDictionary();

    private static Dictionary<string, string[][]> StringScripts() => new()
    {
        ["string-large"] = LargeStringScript(),
        ["string-random-edits"] = RandomStringScript(seed: 1206),
        ["incr-errors"] =
        [
            ["SET", "n", "abc"], ["INCR", "n"], ["DECRBY", "n", "1"], ["INCRBY", "n", "x"], ["INCRBY", "m", "1.5"], ["GET", "n"],
        ],
        ["incrbyfloat"] =
        [
            ["INCRBYFLOAT", "f", "10.5"], ["INCRBYFLOAT", "f", "0.1"], ["INCRBYFLOAT", "g", "-5.0e3"], ["INCRBYFLOAT", "g", "2.5e-1"],
            ["INCRBYFLOAT", "z", "0.1"], ["INCRBYFLOAT", "z", "0.2"], ["INCRBYFLOAT", "z", "-0.3"], ["INCRBYFLOAT", "f", "abc"],
            ["INCRBYFLOAT", "f", "inf"], ["INCRBYFLOAT", "f", " 1"], ["INCRBYFLOAT", "f", "nan"], ["SET", "s", "hello"],
            ["INCRBYFLOAT", "s", "1"], ["SET", "i", "17"], ["INCRBYFLOAT", "i", "0.5"], ["INCRBYFLOAT", "i", "2.5"],
            ["EXPIREAT", "f", Year2100], ["INCRBYFLOAT", "f", "1"], ["EXPIRETIME", "f"], ["INCRBYFLOAT", "f"],
        ],
        ["getrange"] =
        [
            ["SET", "s", "This is a string"], ["GETRANGE", "s", "0", "3"], ["GETRANGE", "s", "-3", "-1"], ["GETRANGE", "s", "0", "-1"],
            ["GETRANGE", "s", "10", "100"], ["GETRANGE", "s", "-100", "-200"], ["GETRANGE", "s", "-100", "2"], ["GETRANGE", "s", "5", "2"],
            ["GETRANGE", "missing", "0", "-1"], ["GETRANGE", "s", "x", "1"], ["SUBSTR", "s", "1", "2"], ["GETRANGE", "s", "1"],
        ],
        ["setrange"] =
        [
            ["SETRANGE", "s", "6", "Redis"], ["GET", "s"], ["SETRANGE", "s", "0", "Hello"], ["GET", "s"], ["SETRANGE", "m", "0", ""],
            ["EXISTS", "m"], ["SETRANGE", "s", "2", ""], ["SETRANGE", "s", "-1", "x"], ["SETRANGE", "s", "x", "y"],
            ["STRLEN", "s"],
            ["EXPIREAT", "s", Year2100], ["SETRANGE", "s", "1", "y"], ["EXPIRETIME", "s"], ["GET", "s"],
        ],
        ["getset-msetnx"] =
        [
            ["GETSET", "g", "a"], ["GETSET", "g", "b"], ["GET", "g"], ["SET", "e", "v", "EXAT", Year2100], ["GETSET", "e", "w"], ["TTL", "e"],
            ["MSETNX", "a", "1", "b", "2"], ["MSETNX", "b", "3", "c", "4"], ["MGET", "a", "b", "c"], ["MSETNX", "a"], ["MSETNX", "a", "1", "b"],
        ],
        ["setbit-getbit"] =
        [
            ["SETBIT", "b", "7", "1"], ["GET", "b"], ["SETBIT", "b", "7", "0"], ["SETBIT", "b", "100", "1"], ["STRLEN", "b"],
            ["GETBIT", "b", "100"], ["GETBIT", "b", "1000"], ["GETBIT", "m", "0"], ["SETBIT", "b", "-1", "1"],
            ["SETBIT", "b", "4294967296", "1"], ["SETBIT", "b", "1", "2"], ["SETBIT", "b", "x", "1"], ["GETBIT", "b", "x"],
            ["SET", "t", "a"], ["EXPIREAT", "t", Year2100], ["SETBIT", "t", "6", "1"], ["GET", "t"], ["EXPIRETIME", "t"],
        ],
        ["bitcount"] =
        [
            ["SET", "k", "foobar"], ["BITCOUNT", "k"], ["BITCOUNT", "k", "0", "0"], ["BITCOUNT", "k", "1", "1"], ["BITCOUNT", "k", "1", "-2"],
            ["BITCOUNT", "k", "5", "30", "BIT"], ["BITCOUNT", "k", "-100", "-200"], ["BITCOUNT", "k", "0", "-1", "bit"], ["BITCOUNT", "k", "3", "2"],
            ["BITCOUNT", "k", "1"], ["BITCOUNT", "k", "1", "2", "foo"], ["BITCOUNT", "k", "x", "2", "foo"], ["BITCOUNT", "k", "1", "x", "foo"],
            ["BITCOUNT", "k", "1", "2", "BYTE", "x"], ["BITCOUNT", "missing", "x", "y"], ["BITCOUNT", "missing"],
        ],
        ["bitpos"] =
        [
            ["SET", "k", "\xff\xf0\x00"], ["BITPOS", "k", "0"], ["BITPOS", "k", "1"], ["BITPOS", "k", "1", "2"], ["BITPOS", "k", "0", "0", "-1"],
            ["BITPOS", "k", "1", "-1"], ["BITPOS", "k", "1", "-100", "-200"], ["BITPOS", "k", "0", "2", "-1", "BIT"], ["BITPOS", "k", "1", "7", "15", "BIT"],
            ["BITPOS", "k", "0", "8", "-1", "BIT"], ["BITPOS", "k", "0", "9", "11", "bit"], ["BITPOS", "k", "2"], ["BITPOS", "k", "x"],
            ["BITPOS", "k", "1", "x"], ["BITPOS", "k", "1", "1", "x", "foo"], ["BITPOS", "k", "1", "1", "2", "3", "4"], ["BITPOS", "missing", "1"],
            ["BITPOS", "missing", "0"], ["SET", "e", ""], ["BITPOS", "e", "0"], ["BITPOS", "e", "1"], ["SET", "ones", "\xff\xff"],
            ["BITPOS", "ones", "0"], ["BITPOS", "ones", "0", "0", "-1"], ["BITPOS", "ones", "0", "1"], ["BITPOS", "ones", "0", "3", "9", "BIT"],
            ["BITPOS", "ones", "0", "3", "BIT"],
        ],
        ["rename"] =
        [
            ["SET", "a", "1"], ["EXPIREAT", "a", Year2100], ["RENAME", "a", "b"], ["EXISTS", "a"], ["GET", "b"], ["EXPIRETIME", "b"],
            ["RENAME", "missing", "x"], ["SET", "c", "3"], ["RENAMENX", "b", "c"], ["RENAMENX", "b", "d"], ["RENAME", "d", "d"],
            ["RENAMENX", "d", "d"], ["RENAME", "zz", "zz"], ["SET", "p", "persist"], ["RENAME", "p", "d"], ["TTL", "d"], ["RENAME", "d"],
        ],
        ["copy"] =
        [
            ["SET", "a", "1"], ["EXPIREAT", "a", Year2100], ["COPY", "a", "b"], ["EXPIRETIME", "b"], ["COPY", "a", "b"], ["SET", "a", "2"],
            ["COPY", "a", "b", "REPLACE"], ["GET", "b"], ["TTL", "b"], ["COPY", "a", "a"], ["COPY", "missing", "b"], ["COPY", "a", "c", "DB", "0"],
            ["COPY", "a", "c", "DB", "x"], ["COPY", "a", "c", "FOO"], ["COPY", "a", "c", "DB"], ["GET", "a"],
        ],
        ["keys-randomkey-touch"] =
        [
            ["RANDOMKEY"], ["KEYS", "*"], ["SET", "only", "1"], ["RANDOMKEY"], ["MSET", "one", "1", "two", "2", "three", "3", "four", "4"],
            ["KEYS", "*o*"], ["KEYS", "t??"], ["KEYS", "[ot]*"], ["KEYS", "nomatch*"], ["KEYS", "*"], ["TOUCH", "one", "two", "nine", "one"],
            ["TOUCH"], ["KEYS"],
        ],
        ["object"] =
        [
            ["SET", "i", "123"], ["SET", "s", "hello"], ["SET", "l", new string('x', 45)], ["SET", "e", new string('x', 44)], ["SET", "z", "0123"],
            ["SET", "big", "12345678901234567890"], ["SET", "neg", "-5"], ["OBJECT", "ENCODING", "i"], ["OBJECT", "ENCODING", "s"],
            ["OBJECT", "ENCODING", "l"], ["OBJECT", "ENCODING", "e"], ["OBJECT", "encoding", "z"], ["OBJECT", "ENCODING", "big"],
            ["OBJECT", "ENCODING", "neg"], ["OBJECT", "ENCODING", "missing"], ["OBJECT", "REFCOUNT", "s"], ["OBJECT", "REFCOUNT", "i"],
            ["OBJECT", "REFCOUNT", "missing"], ["OBJECT", "FREQ", "s"], ["OBJECT", "FREQ", "missing"], ["OBJECT", "IDLETIME", "missing"],
            ["OBJECT", "foo", "s"], ["OBJECT", "ENCODING"], ["OBJECT", "ENCODING", "s", "extra"], ["OBJECT"],
        ],

        // MEMORY USAGE's figures are each server's own; the script compares what both answer alike.
        ["memory"] =
        [
            ["SET", "s", "hello"], ["MEMORY", "USAGE", "missing"], ["MEMORY", "usage", "missing", "SAMPLES", "5"], ["MEMORY", "USAGE"],
            ["MEMORY"], ["MEMORY", "foo"], ["MEMORY", "USAGE", "s", "SAMPLES"], ["MEMORY", "USAGE", "s", "SAMPLES", "x"],
            ["MEMORY", "USAGE", "s", "SAMPLES", "-1"], ["MEMORY", "USAGE", "s", "FOO"], ["MEMORY", "USAGE", "s", "SAMPLES", "1", "FOO"],
            ["MEMORY", "HELP", "x"], ["MEMORY", "USAGE", "missing", "SAMPLES", "x"],
        ],
        ["lcs"] =
        [
            ["MSET", "a", "ohmytext", "b", "mynewtext"], ["LCS", "a", "b"], ["LCS", "a", "b", "LEN"], ["LCS", "a", "b", "IDX"],
            ["LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"], ["LCS", "a", "b", "IDX", "WITHMATCHLEN"], ["LCS", "a", "b", "LEN", "IDX"],
            ["LCS", "a", "b", "FOO"], ["LCS", "a", "b", "MINMATCHLEN", "x"], ["LCS", "a", "b", "IDX", "MINMATCHLEN", "-1"], ["LCS", "a", "missing"],
            ["LCS", "missing", "missing2", "IDX"], ["LCS", "a", "b", "MINMATCHLEN"], ["MSET", "c", "ABCBDAB", "d", "BDCABA"], ["LCS", "c", "d", "IDX"],
            ["LCS", "a"], ["MULTI"], ["LCS", "c", "d", "IDX"], ["LCS", "c", "d"], ["EXEC"],
        ],
        ["expire-options"] =
        [
            ["SET", "p", "1"], ["EXPIREAT", "p", Year2100, "XX"], ["EXPIREAT", "p", Year2100, "GT"], ["EXPIREAT", "p", Year2100, "NX"],
            ["EXPIREAT", "p", "4102444900", "NX"], ["EXPIREAT", "p", "4102444900", "GT"], ["EXPIREAT", "p", Year2100, "GT"],
            ["EXPIREAT", "p", "4102444700", "LT"], ["EXPIREAT", "p", Year2100, "LT"], ["EXPIREAT", "p", "4102444650", "XX", "LT"],
            ["EXPIRETIME", "p"], ["EXPIREAT", "p", "4102444700", "xx", "gt"], ["EXPIRETIME", "p"], ["PERSIST", "p"],
            ["EXPIREAT", "p", Year2100, "GT"], ["EXPIREAT", "p", Year2100, "XX"], ["EXPIREAT", "p", Year2100, "LT"], ["EXPIRE", "p", "10", "NX", "XX"],
            ["EXPIRE", "p", "10", "GT", "LT"], ["EXPIRE", "p", "10", "FOO"], ["EXPIRE", "p", "abc", "FOO"], ["EXPIRE", "p", "abc", "NX"],
            ["EXPIRE", "missing", "10", "NX"], ["PEXPIREAT", "p", "1", "GT"], ["EXISTS", "p"], ["PEXPIREAT", "p", "1", "LT"], ["EXISTS", "p"],
            ["SET", "q", "1"], ["EXPIRE", "q", "100", "NX", "NX"], ["EXPIRE", "q", "9999999999999999"], ["PEXPIRE", "q", "-1", "XX"], ["EXISTS", "q"],
        ],
    };

    public static TheoryData<string> ScriptNames => [.. Scripts.Keys];

    /// <summary>Every script in both protocols: RESP2, and RESP3 after HELLO 3 on both sides.</summary>
    public static TheoryData<string, int> ScriptsAndProtocols
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (string name in Scripts.Keys)
            {
                data.Add(name, 2);
                data.Add(name, 3);
            }

            return data;
        }
    }

    /// <summary>Runs the script on both servers from an empty keyspace and fails on the first reply that differs.</summary>
    public static async Task AssertSameRepliesAsync(IPEndPoint redis, IPEndPoint subject, string script, int protocol = 2)
    {
        await using RespTestClient expected = await RespTestClient.ConnectAsync(redis);
        await using RespTestClient actual = await RespTestClient.ConnectAsync(subject);
        if (protocol == 3)
        {
            Assert.False((await expected.CallAsync("HELLO", "3")).IsError);
            Assert.False((await actual.CallAsync("HELLO", "3")).IsError);
        }

        Assert.Equal("OK", (await expected.CallAsync("FLUSHALL")).AsString());
        Assert.Equal("OK", (await actual.CallAsync("FLUSHALL")).AsString());
        var transcript = new StringBuilder();
        foreach (string[] command in Scripts[script])
        {
            byte[][] arguments = [.. command.Select(Encoding.Latin1.GetBytes)];
            string redisReply = Render(command, await expected.CallAsync(arguments));
            string ourReply = Render(command, await actual.CallAsync(arguments));
            transcript.Append(string.Join(' ', command)).Append(" -> ").AppendLine(redisReply);
            Assert.True(redisReply == ourReply, $"{string.Join(' ', command)}\n  redis-server: {redisReply}\n  KubeCache:    {ourReply}\nafter:\n{transcript}");
        }
    }

    /// <summary>A reply as text; KEYS lists keys in no defined order, so its items are sorted.</summary>
    private static string Render(string[] command, RespValue reply)
    {
        if (command is ["KEYS", ..] && reply.Kind == RespValueKind.Array && !reply.IsError)
        {
            return "[" + string.Join(", ", reply.Items.Select(item => Render([], item)).Order(StringComparer.Ordinal)) + "]";
        }

        return reply.Kind switch
        {
            RespValueKind.Array when reply.IsNull => "(nil array)",
            RespValueKind.Array => "[" + string.Join(", ", reply.Items.Select(item => Render([], item))) + "]",
            RespValueKind.Map => "{" + string.Join(", ", reply.Items.Select(item => Render([], item))) + "}",
            RespValueKind.Null => "_",
            RespValueKind.BulkString when reply.IsNull => "(nil)",
            RespValueKind.BulkString => "\"" + Encoding.Latin1.GetString(reply.Bytes.Span) + "\"",
            RespValueKind.Integer => ":" + reply.AsInt64(),
            RespValueKind.Error => "-" + reply.AsString(),
            _ => "+" + reply.AsString(),
        };
    }
}
