using System.Buffers.Text;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>The hash commands that change fields, each one atomic read-modify-write of the hash under the shard's lock.</summary>
internal sealed partial class HashCommands
{
    /// <summary>HSET key field value [field value …] (new fields counted) and HMSET (+OK).</summary>
    private void Set(RespSession session, string name)
    {
        RespCommand command = session.Command;
        if (command.Count % 2 == 1)
        {
            RespErrors.WrongArity(session, name);
            return;
        }

        var edit = new PairsEdit { Pairs = new CommandPairs(command, 2, 2) };
        StoreStatus status = store.EditHash(command[1], ref edit, static (HashValue current, ref PairsEdit e, out Replacement replacement) =>
        {
            replacement = current.With(ref e.Pairs, out e.Count);
            e.Length = replacement.LengthAfter(current.Length);
            return StoreStatus.Ok;
        });
        if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, edit.Length))
        {
            if (name == "hmset")
            {
                session.Output.Write(RespReplies.Ok);
            }
            else
            {
                RespWriter.WriteInteger(session.Output, edit.Count);
            }
        }
    }

    /// <summary>HSETNX key field value: 1 when the field was new and is set, 0 when it existed.</summary>
    private void SetNx(RespSession session)
    {
        RespCommand command = session.Command;
        var edit = new FieldEdit { Field = command[2], Text = command[3] };
        StoreStatus status = store.EditHash(command[1], ref edit, static (HashValue current, ref FieldEdit e, out Replacement replacement) =>
        {
            replacement = current.TryGet(e.Field, out _) ? Replacement.None : e.Apply(current, e.Text);
            return StoreStatus.Ok;
        });
        if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, edit.Length))
        {
            session.Output.Write(edit.Length > 0 ? RespReplies.One : RespReplies.Zero);
        }
    }

    /// <summary>HDEL key field [field …]: how many it removed; the key goes with its last field.</summary>
    private void Delete(RespSession session)
    {
        RespCommand command = session.Command;
        var edit = new PairsEdit { Pairs = new CommandPairs(command, 2, 1) };
        StoreStatus status = store.EditHash(command[1], ref edit, static (HashValue current, ref PairsEdit e, out Replacement replacement) =>
        {
            replacement = current.Without(ref e.Pairs, out e.Count);
            return StoreStatus.Ok;
        });
        if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length))
        {
            RespWriter.WriteInteger(session.Output, edit.Count);
        }
    }

    /// <summary>HINCRBY key field increment, with Redis's error texts: the increment is checked first, then the field's value.</summary>
    private void IncrementBy(RespSession session)
    {
        RespCommand command = session.Command;
        if (!RespArguments.TryInteger(session, 3, out long delta))
        {
            return;
        }

        var edit = new FieldEdit { Field = command[2], Delta = delta };
        StoreStatus status = store.EditHash(command[1], ref edit, static (HashValue current, ref FieldEdit e, out Replacement replacement) =>
        {
            replacement = Replacement.None;
            long value = 0;
            if (current.TryGet(e.Field, out ReadOnlySpan<byte> text) && !RespInteger.TryParse(text, out value))
            {
                return StoreStatus.NotInteger;
            }

            if ((e.Delta > 0 && value > long.MaxValue - e.Delta) || (e.Delta < 0 && value < long.MinValue - e.Delta))
            {
                return StoreStatus.Overflow;
            }

            e.Delta += value;
            Span<byte> digits = stackalloc byte[20];
            Utf8Formatter.TryFormat(e.Delta, digits, out int length);
            replacement = e.Apply(current, digits[..length]);
            return StoreStatus.Ok;
        });
        if (status == StoreStatus.NotInteger)
        {
            RespErrors.Write(session, "ERR hash value is not an integer");
        }
        else if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, edit.Length))
        {
            RespWriter.WriteInteger(session.Output, edit.Delta);
        }
    }

    /// <summary>HINCRBYFLOAT key field increment: the new value as text, with Redis's error texts for each operand.</summary>
    private void IncrementByFloat(RespSession session)
    {
        RespCommand command = session.Command;
        StoreStatus increment = FloatText.TryAdd("0"u8, command[3], out _);
        if (increment != StoreStatus.Ok)
        {
            RespErrors.Write(session, increment == StoreStatus.NotFloat ? "ERR value is not a valid float" : "ERR value is NaN or Infinity");
            return;
        }

        var edit = new FieldEdit { Field = command[2], Text = command[3] };
        StoreStatus status = store.EditHash(command[1], ref edit, static (HashValue current, ref FieldEdit e, out Replacement replacement) =>
        {
            StoreStatus sum = FloatText.TryAdd(current.TryGet(e.Field, out ReadOnlySpan<byte> text) ? text : "0"u8, e.Text, out e.Result);
            replacement = sum == StoreStatus.Ok ? e.Apply(current, e.Result) : Replacement.None;
            return sum;
        });
        string? message = status switch
        {
            StoreStatus.NotFloat => "ERR hash value is not a float",
            StoreStatus.NotFinite => "ERR increment would produce NaN or Infinity",
            _ => null,
        };
        if (message is not null)
        {
            RespErrors.Write(session, message);
        }
        else if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, edit.Length))
        {
            RespWriter.WriteBulkString(session.Output, edit.Result);
        }
    }

    /// <summary>The state of HSET and HDEL: their pairs (or fields) in, the count and the new encoding's length out.</summary>
    private struct PairsEdit
    {
        public CommandPairs Pairs;
        public int Count;
        public long Length;
    }

    /// <summary>The state of a command about one field: the field and its operand in, the result and the new encoding's length out.</summary>
    private ref struct FieldEdit
    {
        public ReadOnlySpan<byte> Field;
        public ReadOnlySpan<byte> Text;
        public long Delta;
        public byte[]? Result;
        public long Length;

        /// <summary>The hash with the field set to <paramref name="value"/>; records the new length.</summary>
        public Replacement Apply(HashValue current, scoped ReadOnlySpan<byte> value)
        {
            var pair = new OnePair(Field, value);
            Replacement replacement = current.With(ref pair, out _);
            Length = replacement.LengthAfter(current.Length);
            return replacement;
        }
    }

    /// <summary>Pairs (stride 2) or bare fields (stride 1) taken from the command's arguments from <c>first</c> on.</summary>
    private readonly struct CommandPairs(RespCommand command, int first, int stride) : IFieldPairs
    {
        public int Count => (command.Count - first) / stride;

        public ReadOnlySpan<byte> Field(int index) => command[first + (index * stride)];

        public ReadOnlySpan<byte> Value(int index) => stride == 2 ? command[first + (index * 2) + 1] : default;
    }

    private readonly ref struct OnePair(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value) : IFieldPairs
    {
        private readonly ReadOnlySpan<byte> _field = field;
        private readonly ReadOnlySpan<byte> _value = value;

        public int Count => 1;

        public ReadOnlySpan<byte> Field(int index) => _field;

        public ReadOnlySpan<byte> Value(int index) => _value;
    }
}
