using System.Text;
using KubeCache.Topology.Tests.Support;

namespace KubeCache.Topology.Tests;

/// <summary>The ring's balance and minimal-movement goals, over one million fixed-seed random keys.</summary>
public sealed class RingDistributionTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(20)]
    public void OwnerIndexOfHash_MillionKeys_MaxLoadAtMost105PercentOfMean(int memberCount)
    {
        byte[] owners = KeySample.OwnersOfNodes(memberCount);

        var load = new int[memberCount];
        foreach (byte owner in owners)
        {
            load[owner]++;
        }

        double mean = (double)KeySample.Count / memberCount;
        Assert.True(load.Max() / mean <= 1.05, $"max/mean is {load.Max() / mean:F4} at {memberCount} members");
    }

    [Fact]
    public void OwnerOf_SequentialTextKeys_MaxLoadAtMost105PercentOfMean()
    {
        // Real keys share prefixes and differ in a few characters; placement must not care.
        const int KeyCount = 200_000;
        var ring = new Ring(Members.Nodes(10));
        var load = new int[10];
        for (int i = 0; i < KeyCount; i++)
        {
            load[ring.OwnerIndexOf(Encoding.UTF8.GetBytes($"user:{i}"))]++;
        }

        double mean = KeyCount / 10.0;
        Assert.True(load.Max() / mean <= 1.05, $"max/mean is {load.Max() / mean:F4}");
    }

    public static TheoryData<int> GrowingSizes => [.. Enumerable.Range(3, 18)];

    [Theory]
    [MemberData(nameof(GrowingSizes))]
    public void OwnerIndexOfHash_OneMemberAdded_MovesOnlyItsFairShareToIt(int memberCount)
    {
        byte[] ownersBefore = KeySample.OwnersOfNodes(memberCount);
        byte[] ownersAfter = KeySample.OwnersOfNodes(memberCount + 1);

        int moved = 0;
        for (int i = 0; i < ownersBefore.Length; i++)
        {
            if (ownersBefore[i] != ownersAfter[i])
            {
                moved++;
                Assert.Equal(memberCount, ownersAfter[i]);
            }
        }

        double fraction = (double)moved / KeySample.Count;
        double limit = 1.1 / (memberCount + 1);
        Assert.True(fraction <= limit, $"{fraction:F4} of the keys moved going from {memberCount} to {memberCount + 1} members; limit {limit:F4}");
    }

    [Fact]
    public void OwnerIndexOfHash_MiddleMemberRemoved_MovesOnlyItsKeys()
    {
        var before = new Ring(Members.Nodes(10));
        var after = new Ring(Members.Nodes(0, 1, 2, 3, 5, 6, 7, 8, 9));

        int moved = AssertMovesOnlyVia(before, after, removed: ["demo-4"], added: []);

        Assert.InRange((double)moved / KeySample.Count, 0.09, 0.11);
    }

    [Fact]
    public void OwnerIndexOfHash_MembersAddedAndRemovedAtOnce_NoKeyMovesBetweenStayingMembers()
    {
        var before = new Ring(Members.Nodes(10));
        var after = new Ring(Members.Nodes(0, 1, 3, 4, 5, 6, 8, 9, 10, 11, 12));

        int moved = AssertMovesOnlyVia(before, after, removed: ["demo-2", "demo-7"], added: ["demo-10", "demo-11", "demo-12"]);

        Assert.True(moved > 0);
    }

    /// <summary>Asserts every key that changed owner left a removed member or went to an added one; returns how many moved.</summary>
    private static int AssertMovesOnlyVia(Ring before, Ring after, string[] removed, string[] added)
    {
        byte[] ownersBefore = KeySample.Owners(before);
        byte[] ownersAfter = KeySample.Owners(after);
        int moved = 0;
        for (int i = 0; i < ownersBefore.Length; i++)
        {
            string from = before.Members[ownersBefore[i]].Name;
            string to = after.Members[ownersAfter[i]].Name;
            if (from != to)
            {
                moved++;
                Assert.True(removed.Contains(from) || added.Contains(to), $"key {i} moved from {from} to {to}, which both stay");
            }
        }

        return moved;
    }
}
