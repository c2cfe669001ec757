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
}
