using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>The record layout: a head (key length and flags), an expiry only when there is one, the key, the value's length, the value and the slot.</summary>
public sealed class RecordArenaTests
{
    [Fact]
    public void Append_ShortKeyAndValueWithoutExpiry_TakesSixBytesBesideThem()
    {
        var arena = new RecordArena();
        byte[] key = new byte[31], value = new byte[64];
        long first = arena.Append(0, key, value, [], ValueKind.String, expiresAt: 0);
        long second = arena.Append(1, key, value, [], ValueKind.String, expiresAt: 0);

        Assert.Equal(2 + 31 + 64 + 4, second - first);
        Assert.Equal(2 * (2 + 31 + 64 + 4), arena.LiveBytes);
    }

    [Fact]
    public void Append_WithExpiry_TakesEightMoreBytes()
    {
        var arena = new RecordArena();
        long first = arena.Append(0, new byte[16], new byte[64], [], ValueKind.String, expiresAt: 1);
        long second = arena.Append(1, new byte[16], new byte[64], [], ValueKind.String, expiresAt: 0);

        Assert.Equal(2 + 8 + 16 + 64 + 4, second - first);
    }

    [Theory]
    [InlineData(1, 0, ValueKind.String, 0L)]
    [InlineData(31, 127, ValueKind.Hash, 0L)]
    [InlineData(32, 128, ValueKind.String, 1L)]
    [InlineData(127, 128, ValueKind.Hash, RecordArena.MaxExpiresAt)]
    [InlineData(128, 16_383, ValueKind.String, 1_700_000_000_000L)]
    [InlineData(RecordArena.MaxKeyLength, 16_384, ValueKind.Hash, 1_700_000_000_000L)]
    [InlineData(200, RecordArena.PageBytes + 1, ValueKind.String, 0L)]
    public void Append_AnyLengthsKindAndExpiry_ReadsThemBack(int keyLength, int valueLength, ValueKind kind, long expiresAt)
    {
        var arena = new RecordArena();
        byte[] key = Filled(keyLength, 1), value = Filled(valueLength, 2);
        arena.Append(7, [9], [9], [], ValueKind.Hash, expiresAt: 5);
        long location = arena.Append(keyLength, key, value.AsSpan(0, valueLength / 2), value.AsSpan(valueLength / 2), kind, expiresAt);

        Assert.Equal(key, arena.Key(location).ToArray());
        Assert.Equal(value, arena.Value(location).ToArray());
        Assert.Equal((valueLength, kind, expiresAt, keyLength), (arena.ValueLength(location), arena.Kind(location), arena.ExpiresAt(location), arena.SlotAt(location)));
        Assert.Equal(RecordArena.RecordSize(keyLength, valueLength, expiresAt != 0), arena.SizeAt(location));
        Assert.Equal(
            VarLength.Size(keyLength << 2) + (expiresAt != 0 ? 8 : 0) + keyLength + VarLength.Size(valueLength) + valueLength + 4,
            arena.SizeAt(location));
    }

    [Fact]
    public void TrySetExpiresAt_RecordWithExpiry_ChangesItInPlaceKeepingTheRest()
    {
        var arena = new RecordArena();
        long location = arena.Append(3, "key"u8, "value"u8, [], ValueKind.Hash, expiresAt: 1_000);

        Assert.True(arena.TrySetExpiresAt(location, 2_000));
        Assert.Equal(2_000, arena.ExpiresAt(location));
        Assert.True(arena.TrySetExpiresAt(location, 0));
        Assert.Equal(0, arena.ExpiresAt(location));
        Assert.Equal(("key", "value", ValueKind.Hash), (Text(arena.Key(location)), Text(arena.Value(location).Span), arena.Kind(location)));
    }

    [Fact]
    public void TrySetExpiresAt_RecordWithoutExpiry_AsksForARewrite()
    {
        var arena = new RecordArena();
        long location = arena.Append(3, "key"u8, "value"u8, [], ValueKind.Hash, expiresAt: 0);
        ReadOnlyMemory<byte> handedOut = arena.Value(location);

        Assert.True(arena.TrySetExpiresAt(location, 0));
        Assert.False(arena.TrySetExpiresAt(location, 2_000));
        long copy = arena.Rewrite(location, 2_000);

        Assert.Equal(("key", "value", ValueKind.Hash, 2_000L, 3), (Text(arena.Key(copy)), Text(arena.Value(copy).Span), arena.Kind(copy), arena.ExpiresAt(copy), arena.SlotAt(copy)));
        Assert.Equal(RecordArena.RecordSize(3, 5, hasExpiry: true), arena.LiveBytes);
        Assert.Equal("value", Text(handedOut.Span));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(127, 1)]
    [InlineData(128, 2)]
    [InlineData(16_383, 2)]
    [InlineData(16_384, 3)]
    [InlineData(int.MaxValue, 5)]
    public void VarLength_WriteThenRead_RoundTripsInSizeBytes(int length, int size)
    {
        byte[] buffer = new byte[VarLength.MaxBytes];
        Assert.Equal(size, VarLength.Size(length));
        Assert.Equal(size, VarLength.Write(buffer, length));
        Assert.Equal(length, VarLength.Read(buffer, out int used));
        Assert.Equal(size, used);
    }

    private static string Text(ReadOnlySpan<byte> bytes) => System.Text.Encoding.ASCII.GetString(bytes);

    private static byte[] Filled(int length, int seed)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) + seed);
        }

        return bytes;
    }
}
