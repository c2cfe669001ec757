using System.Text;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>RENAME, RENAMENX, COPY, KEYS, RANDOMKEY and OBJECT.</summary>
internal sealed partial class KeyCommands
{
    /// <summary>Longest string Redis stores inside its object header ("embstr"); longer ones are "raw".</summary>
    private const int EmbeddedStringLimit = 44;

    /// <summary>Keys visited per SCAN step while KEYS walks the store: bounds how long one step holds a shard lock.</summary>
    private const int KeysStep = 1024;

    /// <summary>RENAME source destination (OK) and RENAMENX (1, or 0 when the destination exists): the value keeps its TTL.</summary>
    private void Rename(RespSession session, bool onlyIfAbsent)
    {
        RespCommand command = session.Command;
        StoreStatus status = store.Transfer(command[1], command[2], replace: !onlyIfAbsent, keepSource: false);
        if (status == StoreStatus.NotFound)
        {
            RespErrors.Write(session, "ERR no such key");
        }
        else if (!RespErrors.TryWriteStoreError(session, status, store, command[2].Length))
        {
            session.Output.Write(!onlyIfAbsent ? RespReplies.Ok : status == StoreStatus.Ok ? RespReplies.One : RespReplies.Zero);
        }
    }

    /// <summary>COPY source destination [DB 0] [REPLACE]: 1 when copied with its TTL, 0 when the source is missing or the destination exists.</summary>
    private void Copy(RespSession session)
    {
        RespCommand command = session.Command;
        bool replace = false;
        for (int i = 3; i < command.Count; i++)
        {
            if (RespArguments.Is(session, i, "REPLACE"u8))
            {
                replace = true;
            }
            else if (RespArguments.Is(session, i, "DB"u8) && i + 1 < command.Count)
            {
                if (!RespArguments.TryInteger(session, ++i, out long db))
                {
                    return;
                }

                if (db is < int.MinValue or > int.MaxValue)
                {
                    RespErrors.NotInteger(session);
                    return;
                }

                if (db != 0)
                {
                    RespErrors.Write(session, ClientContract.Resp.RespErrorReplies.DatabaseOutOfRange);
                    return;
                }
            }
            else
            {
                RespErrors.Syntax(session);
                return;
            }
        }

        if (command[1].SequenceEqual(command[2]))
        {
            RespErrors.Write(session, "ERR source and destination objects are the same");
            return;
        }

        StoreStatus status = store.Transfer(command[1], command[2], replace, keepSource: true);
        if (!RespErrors.TryWriteStoreError(session, status, store, command[2].Length))
        {
            session.Output.Write(status == StoreStatus.Ok ? RespReplies.One : RespReplies.Zero);
        }
    }

    /// <summary>KEYS pattern: every live key matching the glob, walked in SCAN steps so no shard is held for long.</summary>
    private async ValueTask KeysAsync(RespSession session)
    {
        byte[] pattern = session.Command[1].ToArray();
        List<byte[]> matches = [.. store.Keys(KeysStep).Where(key => GlobPattern.IsMatch(pattern, key))];

        RespWriter.WriteArrayHeader(session.Output, matches.Count);
        foreach (byte[] key in matches)
        {
            RespWriter.WriteBulkString(session.Output, key);
            await session.FlushIfFullAsync().ConfigureAwait(false);
        }
    }

    private void RandomKey(RespSession session)
    {
        if (store.RandomKey() is { } key)
        {
            RespWriter.WriteBulkString(session.Output, key);
        }
        else
        {
            session.WriteNull();
        }
    }

    /// <summary>
    /// OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT key, and OBJECT HELP. A missing key is nil, as in
    /// Redis; the key is read without counting a hit or moving it in the LRU order.
    /// </summary>
    private void Object(RespSession session)
    {
        RespCommand command = session.Command;
        string? subcommand = Subcommand(session, "OBJECT", ["encoding", "freq", "idletime", "refcount", "help"]);
        if (subcommand is null)
        {
            return;
        }

        if (command.Count != (subcommand == "help" ? 2 : 3))
        {
            RespErrors.WrongArity(session, "object|" + subcommand);
            return;
        }

        if (subcommand == "help")
        {
            WriteHelp(session, s_objectHelp);
            return;
        }

        if (store.Peek(command[2], out ReadOnlyMemory<byte> value, out ValueKind kind, out _) != StoreStatus.Ok)
        {
            session.WriteNull();
            return;
        }

        switch (subcommand)
        {
            case "encoding":
                RespWriter.WriteBulkString(session.Output, kind == ValueKind.Hash ? HashEncodingOf(value.Span) : EncodingOf(value.Span));
                break;
            case "refcount":
                // Values are never shared between keys here, as in Redis under an LRU policy.
                session.Output.Write(RespReplies.One);
                break;
            case "freq":
                // The node evicts by exact LRU, which Redis words as "no LFU policy".
                RespErrors.Write(session, "ERR An LFU maxmemory policy is not selected, access frequency not tracked. " +
                    "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
                break;
            default:
                RespErrors.Write(session, "ERR OBJECT IDLETIME is not supported: the node keeps each key's place in the LRU order, not its last access time");
                break;
        }
    }

    /// <summary>The encoding Redis would report for a string: "int" for an integer it can hold as one, else by length.</summary>
    private static ReadOnlySpan<byte> EncodingOf(ReadOnlySpan<byte> value) =>
        RespInteger.TryParse(value, out _) ? "int"u8
        : value.Length <= EmbeddedStringLimit ? "embstr"u8
        : "raw"u8;

    /// <summary>
    /// The encoding Redis would report for a hash: "listpack" within its default
    /// hash-max-listpack-entries (128) and hash-max-listpack-value (64 bytes), else "hashtable".
    /// </summary>
    private static ReadOnlySpan<byte> HashEncodingOf(ReadOnlySpan<byte> encoded)
    {
        int count = 0;
        foreach (HashFields.Pair pair in HashFields.Enumerate(encoded))
        {
            if (++count > 128 || pair.Field.Length > 64 || pair.Value.Length > 64)
            {
                return "hashtable"u8;
            }
        }

        return "listpack"u8;
    }

    private static readonly string[] s_objectHelp =
    [
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Not tracked: the node evicts by LRU, so this answers an error.",
        "IDLETIME <key>",
        "    Not tracked: the node keeps the LRU order, not access times, so this answers an error.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Print this help.",
    ];

    private static readonly string[] s_memoryHelp =
    [
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "USAGE <key> [SAMPLES <count>]",
        "    Return the bytes the key and its value are charged against --max-memory: the",
        "    key, the value and the per-entry overhead (INFO's used_memory is their sum).",
        "    The size is exact, so SAMPLES is accepted and changes nothing.",
        "HELP",
        "    Print this help.",
    ];

    /// <summary>
    /// MEMORY USAGE key [SAMPLES count]: the bytes the entry is charged against --max-memory, nil for
    /// a missing key, with Redis's checks of the options (its sampling of large values has no
    /// counterpart: the size is exact); MEMORY HELP. What <c>redis-cli --memkeys</c> reads.
    /// </summary>
    private void Memory(RespSession session)
    {
        RespCommand command = session.Command;
        string? subcommand = Subcommand(session, "MEMORY", ["usage", "help"]);
        if (subcommand is null)
        {
            return;
        }

        if (subcommand == "help" ? command.Count != 2 : command.Count < 3)
        {
            RespErrors.WrongArity(session, "memory|" + subcommand);
            return;
        }

        if (subcommand == "help")
        {
            WriteHelp(session, s_memoryHelp);
            return;
        }

        for (int i = 3; i < command.Count; i += 2)
        {
            if (!RespArguments.Is(session, i, "SAMPLES"u8) || i + 1 == command.Count)
            {
                RespErrors.Syntax(session);
                return;
            }

            if (!RespArguments.TryInteger(session, i + 1, out long samples))
            {
                return;
            }

            if (samples < 0)
            {
                RespErrors.Syntax(session);
                return;
            }
        }

        if (store.UsageOf(command[2], out long bytes) != StoreStatus.Ok)
        {
            session.WriteNull();
            return;
        }

        RespWriter.WriteInteger(session.Output, bytes);
    }

    /// <summary>The subcommand at argument 1 when it is one of <paramref name="names"/> (lower case); null with Redis's error written when not.</summary>
    private static string? Subcommand(RespSession session, string container, string[] names)
    {
        string given = Encoding.UTF8.GetString(session.Command[1]);
        string? subcommand = names.FirstOrDefault(name => name.Equals(given, StringComparison.OrdinalIgnoreCase));
        if (subcommand is null)
        {
            RespErrors.Write(session, $"ERR unknown subcommand '{given}'. Try {container} HELP.");
        }

        return subcommand;
    }

    private static void WriteHelp(RespSession session, string[] lines)
    {
        RespWriter.WriteArrayHeader(session.Output, lines.Length);
        foreach (string line in lines)
        {
            RespWriter.WriteSimpleString(session.Output, line);
        }
    }
}
