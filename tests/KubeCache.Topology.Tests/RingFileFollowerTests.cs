namespace KubeCache.Topology.Tests;

public class RingFileFollowerTests
{
    [Fact]
    public void Refresh_NewerValidAndBrokenDocuments_TakesValidOnesAndReportsTheRest()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "ring.json");
        var follower = new RingFileFollower(path, TimeSpan.FromSeconds(1));
        var taken = new List<long>();
        var rejected = new List<string>();
        follower.Changed += document => taken.Add(document.Epoch);
        follower.Rejected += rejected.Add;

        Assert.False(follower.Refresh());
        File.WriteAllBytes(path, Document(2).ToUtf8Json());
        Assert.True(follower.Refresh());
        Assert.False(follower.Refresh());
        File.WriteAllText(path, "{ not json");
        Assert.False(follower.Refresh());
        File.WriteAllBytes(path, Document(1).ToUtf8Json());
        Assert.False(follower.Refresh());
        File.WriteAllBytes(path, Document(3).ToUtf8Json());
        Assert.True(follower.Refresh());

        Assert.Equal([2, 3], taken);
        Assert.Equal(3, follower.Current!.Epoch);
        Assert.Equal(2, rejected.Count);
        Assert.Contains("older", rejected[1], StringComparison.Ordinal);
    }

    private static RingDocument Document(long epoch) => new()
    {
        Cluster = "test",
        Epoch = epoch,
        Members = [new RingMember("a", "127.0.0.1:1", "127.0.0.1:2")],
    };
}
