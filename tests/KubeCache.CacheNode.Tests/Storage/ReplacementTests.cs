using System.Buffers;
using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>What an edit hands the store, in particular a rented copy: the pool's buffers come back with other commands' bytes in them.</summary>
public sealed class ReplacementTests
{
    [Fact]
    public void Copy_OfAShorterValueIntoADirtyPooledBuffer_PadsWithZeroBytes()
    {
        // The shared pool gives this thread back the buffer it returned last, garbage and all.
        byte[] dirty = ArrayPool<byte>.Shared.Rent(100);
        dirty.AsSpan().Fill(0xFF);
        ArrayPool<byte>.Shared.Return(dirty);

        Replacement replacement = Replacement.Copy("ab"u8, 100, out Span<byte> bytes);
        bytes[50] = (byte)'x';

        Assert.True(replacement.HasValue);
        Assert.Equal([(byte)'a', (byte)'b', .. new byte[48], (byte)'x', .. new byte[49]], replacement.Span.ToArray());
        replacement.Return();
    }

    [Fact]
    public void None_HasNoValue_AndOf_IsTheArrayItself()
    {
        Assert.False(Replacement.None.HasValue);
        byte[] value = [1, 2, 3];
        Replacement replacement = Replacement.Of(value);
        Assert.True(replacement.HasValue);
        Assert.Equal(3, replacement.Length);
        Assert.Equal(value, replacement.Span.ToArray());
    }

    /// <summary>An appending edit stores the current value and its bytes, on a key that exists or not, held to --max-value-bytes over both.</summary>
    [Fact]
    public void Appended_ThroughTheStore_FollowsTheCurrentValueAndIsLimitedWithIt()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 1 << 20, ShardCount = 1, MaxValueBytes = 10 });
        byte[] tail = "def"u8.ToArray();
        Assert.Equal(StoreStatus.Ok, store.Edit("new"u8, ValueKind.String, ref tail, Append));
        Assert.Equal(StoreStatus.Ok, store.Get("new"u8, out ReadOnlyMemory<byte> created));
        Assert.Equal("def"u8, created.Span);

        store.Set("k"u8, "abc"u8);
        Assert.Equal(StoreStatus.Ok, store.Edit("k"u8, ValueKind.String, ref tail, Append));
        Assert.Equal(StoreStatus.Ok, store.Get("k"u8, out ReadOnlyMemory<byte> value));
        Assert.Equal("abcdef"u8, value.Span);

        byte[] tooMuch = "12345"u8.ToArray();
        Assert.Equal(StoreStatus.ValueTooLarge, store.Edit("k"u8, ValueKind.String, ref tooMuch, Append));
        Assert.Equal(StoreStatus.Ok, store.Get("k"u8, out value));
        Assert.Equal("abcdef"u8, value.Span);
        Assert.Equal(9, Replacement.Appended(new byte[3], 3).LengthAfter(6));
    }

    private static StoreStatus Append(ReadOnlySpan<byte> current, bool exists, ref byte[] tail, out Replacement replacement)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(tail.Length);
        tail.CopyTo(rented, 0);
        replacement = Replacement.Appended(rented, tail.Length);
        return StoreStatus.Ok;
    }
}
