using System.IO.Hashing;
using System.Text;
using KubeCache.Topology.Tests.Support;

namespace KubeCache.Topology.Tests;

public sealed class RingTests
{
    [Fact]
    public void Constructor_DuplicateName_ThrowsNamingIt()
    {
        RingMember[] members = [Members.Node(0), Members.Node(1), Members.Node(0, addressGeneration: 1)];

        var error = Assert.Throws<ArgumentException>(() => new Ring(members));

        Assert.Contains("\"demo-0\"", error.Message, StringComparison.Ordinal);
        Assert.Equal("members", error.ParamName);
    }

    [Fact]
    public void Constructor_EmptyName_ThrowsSayingWhich()
    {
        RingMember[] members = [Members.Node(0), new RingMember("", "h:1", "h:2")];

        var error = Assert.Throws<ArgumentException>(() => new Ring(members));

        Assert.Contains("member 1 has an empty name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_CallerChangesList_RingKeepsItsCopy()
    {
        var members = new List<RingMember>(Members.Nodes(3));
        var ring = new Ring(members);

        members.Add(Members.Node(3));

        Assert.Equal(3, ring.Members.Count);
    }

    [Fact]
    public void OwnerOf_EmptyRing_ThrowsInvalidOperation()
    {
        var ring = new Ring([]);

        Assert.Empty(ring.Members);
        Assert.Throws<InvalidOperationException>(() => ring.OwnerOf("k"u8));
        Assert.Throws<InvalidOperationException>(() => ring.OwnerIndexOf("k"u8));
        Assert.Throws<InvalidOperationException>(() => ring.OwnerOfHash(1));
    }

    [Fact]
    public void Find_KnownAndUnknownName_ReturnsMemberOrNull()
    {
        var ring = new Ring(Members.Nodes(3));

        Assert.Equal(Members.Node(2), ring.Find("demo-2"));
        Assert.Null(ring.Find("demo-3"));
        Assert.Null(ring.Find("DEMO-2"));
    }

    [Fact]
    public void OwnerOf_AnyKey_AgreesWithIndexAndHashLookups()
    {
        var ring = new Ring(Members.Nodes(7));
        for (int i = 0; i < 1000; i++)
        {
            byte[] key = Encoding.UTF8.GetBytes($"key:{i}");

            RingMember owner = ring.OwnerOf(key);

            Assert.Same(owner, ring.Members[ring.OwnerIndexOf(key)]);
            Assert.Same(owner, ring.OwnerOfHash(Ring.KeyHash(key)));
            Assert.Equal(ring.OwnerIndexOf(key), ring.OwnerIndexOfHash(XxHash64.HashToUInt64(key)));
        }
    }

    [Fact]
    public void OwnerOfHash_MembersReorderedOrReaddressed_SameOwnerNames()
    {
        var ring = new Ring(Members.Nodes(12));
        var reordered = new Ring([.. Members.Nodes(12, addressGeneration: 5).Reverse()]);

        foreach (ulong hash in KeySample.Hashes.AsSpan(0, 100_000))
        {
            Assert.Equal(ring.OwnerOfHash(hash).Name, reordered.OwnerOfHash(hash).Name);
        }
    }

    [Fact]
    public void OwnerIndexOfHash_SingleMember_OwnsEveryKey()
    {
        var ring = new Ring([Members.Node(9)]);

        Assert.Equal(0, ring.OwnerIndexOfHash(0));
        Assert.Equal(0, ring.OwnerIndexOfHash(ulong.MaxValue));
    }

    // Pins the placement function: every process of every version must agree on owners, so a
    // change here moves keys in a running cluster and must be a deliberate, versioned scheme.
    [Theory]
    [InlineData("user:1", "demo-0")]
    [InlineData("user:2", "demo-0")]
    [InlineData("user:3", "demo-0")]
    [InlineData("user:4", "demo-4")]
    [InlineData("user:5", "demo-4")]
    [InlineData("user:6", "demo-3")]
    [InlineData("user:7", "demo-2")]
    [InlineData("user:8", "demo-0")]
    [InlineData("session:abc", "demo-4")]
    [InlineData("", "demo-0")]
    [InlineData("a-much-longer-key-that-spans-more-than-one-32-byte-stripe", "demo-0")]
    public void OwnerOf_FixedKeysFiveMembers_PinnedOwner(string key, string expectedOwner)
    {
        var ring = new Ring(Members.Nodes(5));

        Assert.Equal(expectedOwner, ring.OwnerOf(Encoding.UTF8.GetBytes(key)).Name);
    }
}
