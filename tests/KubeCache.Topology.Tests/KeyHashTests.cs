using System.IO.Hashing;
using System.Text;

namespace KubeCache.Topology.Tests;

/// <summary>
/// Ring placement depends on XXH64 exactly (a different hash moves every key), so the hash the
/// ring uses is checked against the reference implementation's own self-test vectors.
/// </summary>
public sealed class KeyHashTests
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
    public void XxHash64_ReferenceSanityVector_MatchesPublishedDigest(int length, ulong seed, ulong expected)
    {
        Assert.Equal(expected, XxHash64.HashToUInt64(SanityBuffer(length), (long)seed));
    }

    [Theory]
    [InlineData(0, 0xEF46DB3751D8E999UL)]
    [InlineData(1, 0xE934A84ADB052768UL)]
    [InlineData(14, 0x8282DCC4994E35C8UL)]
    [InlineData(222, 0xB641AE8CB691C174UL)]
    public void KeyHash_ReferenceSanityVector_IsXxHash64WithSeedZero(int length, ulong expected)
    {
        Assert.Equal(expected, Ring.KeyHash(SanityBuffer(length)));
    }

    [Theory]
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    public void KeyHash_AsciiText_MatchesPublishedDigest(string text, ulong expected)
    {
        Assert.Equal(expected, Ring.KeyHash(Encoding.ASCII.GetBytes(text)));
    }
}
