using System.Text;

namespace KubeCache.Topology.Tests;

public sealed class XxHash64Tests
{
    private const ulong Prime32 = 2654435761UL;

    /// <summary>
    /// The sanity buffer of the reference implementation's self-test: byte i is the top byte
    /// of 2654435761 × 11400714785074694797^i (mod 2^64).
    /// </summary>
    private static byte[] SanityBuffer(int length)
    {
        var buffer = new byte[length];
        ulong generator = Prime32;
        for (int i = 0; i < length; i++)
        {
            buffer[i] = (byte)(generator >> 56);
            generator *= 11400714785074694797UL;
        }

        return buffer;
    }

    // The XXH64 vectors of xxHash's own self-test (cli/xsum_sanity_check.c): empty, under 4,
    // under 8, under 32 (8 + 4 + 2 byte tail) and several 32-byte stripes, each unseeded and seeded.
    [Theory]
    [InlineData(0, 0UL, 0xEF46DB3751D8E999UL)]
    [InlineData(0, Prime32, 0xAC75FDA2929B17EFUL)]
    [InlineData(1, 0UL, 0xE934A84ADB052768UL)]
    [InlineData(1, Prime32, 0x5014607643A9B4C3UL)]
    [InlineData(4, 0UL, 0x9136A0DCA57457EEUL)]
    [InlineData(14, 0UL, 0x8282DCC4994E35C8UL)]
    [InlineData(14, Prime32, 0xC3BD6BF63DEB6DF0UL)]
    [InlineData(222, 0UL, 0xB641AE8CB691C174UL)]
    [InlineData(222, Prime32, 0x20CB8AB7AE10C14AUL)]
    public void Hash_ReferenceSanityVector_MatchesPublishedDigest(int length, ulong seed, ulong expected)
    {
        Assert.Equal(expected, XxHash64.Hash(SanityBuffer(length), seed));
    }

    [Theory]
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    public void Hash_AsciiText_MatchesPublishedDigest(string text, ulong expected)
    {
        Assert.Equal(expected, XxHash64.Hash(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Hash_DefaultSeed_EqualsSeedZero()
    {
        byte[] data = SanityBuffer(40);

        Assert.Equal(XxHash64.Hash(data, 0), XxHash64.Hash(data));
    }

    [Fact]
    public void Hash_EveryLengthUpTo100_ChangesWhenAnyByteChanges()
    {
        // Exercises every split between stripes, 8-byte, 4-byte and single-byte tails.
        byte[] data = SanityBuffer(100);
        for (int length = 1; length <= data.Length; length++)
        {
            ulong original = XxHash64.Hash(data.AsSpan(0, length));
            byte[] copy = data[..length];
            copy[length - 1] ^= 1;
            Assert.NotEqual(original, XxHash64.Hash(copy));
            Assert.NotEqual(original, XxHash64.Hash(data.AsSpan(0, length - 1)));
        }
    }

    [Fact]
    public void Hash_SliceOfLargerBuffer_EqualsHashOfCopy()
    {
        byte[] data = SanityBuffer(300);

        Assert.Equal(XxHash64.Hash(data[3..250], 7), XxHash64.Hash(data.AsSpan(3, 247), 7));
    }
}
