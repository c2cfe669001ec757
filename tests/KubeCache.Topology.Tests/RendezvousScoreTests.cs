using KubeCache.Topology.Hashing;

namespace KubeCache.Topology.Tests;

public sealed class RendezvousScoreTests
{
    [Fact]
    public void Max_RandomWeightsBelow2Pow63_EqualsMathMax()
    {
        var random = new Random(5);
        for (int i = 0; i < 100_000; i++)
        {
            ulong a = (ulong)random.NextInt64() >> (i % 3);
            ulong b = (ulong)random.NextInt64() >> (i % 5);

            Assert.Equal(Math.Max(a, b), RendezvousScore.Max(a, b));
        }
    }

    [Theory]
    [InlineData(0UL, 1UL)]
    [InlineData(long.MaxValue, 0UL)]
    [InlineData(long.MaxValue, long.MaxValue - 1)]
    [InlineData(7UL, 7UL)]
    public void Max_EdgeValues_EqualsMathMax(ulong a, ulong b)
    {
        Assert.Equal(Math.Max(a, b), RendezvousScore.Max(a, b));
        Assert.Equal(Math.Max(a, b), RendezvousScore.Max(b, a));
    }

    [Fact]
    public void Of_SameSeedDifferentRanks_LowerRankWeighsMoreAndRankRoundTrips()
    {
        ulong first = RendezvousScore.Of(12345, 678, nameRank: 3);
        ulong second = RendezvousScore.Of(12345, 678, nameRank: 4);

        Assert.True(first > second);
        Assert.Equal(3, RendezvousScore.RankOf(first));
        Assert.Equal(Ring.MaxMembers - 1, RendezvousScore.RankOf(RendezvousScore.Of(1, 2, Ring.MaxMembers - 1)));
        Assert.True(RendezvousScore.Of(ulong.MaxValue, 0, 0) < 1UL << 63);
    }

    [Fact]
    public void RingConstructor_MoreThanMaxMembers_ThrowsSayingTheLimit()
    {
        RingMember[] members = [.. Enumerable.Range(0, Ring.MaxMembers + 1).Select(i => new RingMember($"n{i}", "h:1", "h:2"))];

        var error = Assert.Throws<ArgumentException>(() => new Ring(members));

        Assert.Contains("at most 65536", error.Message, StringComparison.Ordinal);
    }
}
