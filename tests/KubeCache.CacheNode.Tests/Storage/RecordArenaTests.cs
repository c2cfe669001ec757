using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>The record layout: two variable-length lengths in front of the key and the value.</summary>
public sealed class RecordArenaTests
{
    [Fact]
    public void Append_KeyAndValueUnder128Bytes_TakesTwoBytesBesideThem()
    {
        var arena = new RecordArena();
        byte[] key = new byte[16], value = new byte[64];
        long first = arena.Append(key, value, []);
        long second = arena.Append(key, value, []);

        Assert.Equal(2 + 16 + 64, second - first);
        Assert.Equal(2 * (2 + 16 + 64), arena.LiveBytes);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(127, 128)]
    [InlineData(128, 16_383)]
    [InlineData(Entry.MaxKeyLength, 16_384)]
    [InlineData(200, RecordArena.PageBytes + 1)]
    public void Append_AnyLengths_ReadsBackKeyValueAndSize(int keyLength, int valueLength)
    {
        var arena = new RecordArena();
        byte[] key = Filled(keyLength, 1), value = Filled(valueLength, 2);
        arena.Append([9], [9], []);
        long location = arena.Append(key, value.AsSpan(0, valueLength / 2), value.AsSpan(valueLength / 2));

        Assert.Equal(key, arena.Key(location, keyLength).ToArray());
        Assert.Equal(value, arena.Value(location, keyLength).ToArray());
        Assert.Equal(valueLength, arena.ValueLength(location, keyLength));
        Assert.Equal(RecordArena.RecordSize(keyLength, valueLength), arena.SizeAt(location));
        Assert.Equal(VarLength.Size(keyLength) + keyLength + VarLength.Size(valueLength) + valueLength, arena.SizeAt(location));
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
