using KubeCache.Protocol;
using KubeCache.Router.Tests.Support;
using KubeCache.Router.Upstream;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Upstream;

public sealed class UpstreamPoolTests
{
    [Fact]
    public async Task GetOrAdd_SameNameAndAddress_ReturnsSameClient()
    {
        await using var pool = new UpstreamPool();

        NodeClient first = pool.GetOrAdd("node-0", "127.0.0.1:7001");
        NodeClient again = pool.GetOrAdd("node-0", "127.0.0.1:7001");
        NodeClient other = pool.GetOrAdd("node-1", "127.0.0.1:7001");

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.Equal(2, pool.Clients.Count);
    }

    [Fact]
    public async Task GetOrAdd_AddressChanged_ReplacesAndClosesOldClient()
    {
        await using FakeNode oldNode = FakeNode.Start(_ => FakeReply.Echo);
        await using FakeNode newNode = FakeNode.Start(_ => FakeReply.Echo);
        await using var pool = new UpstreamPool(TestOptions.Create());
        NodeClient old = pool.GetOrAdd("node-0", oldNode.Address);
        Command.AssertBulk("old", await old.SendAsync(Command.Of("ECHO", "old")));

        NodeClient replaced = pool.GetOrAdd("node-0", newNode.Address);

        Assert.NotSame(old, replaced);
        Assert.Equal(newNode.Address, replaced.Address);
        Command.AssertBulk("new", await replaced.SendAsync(Command.Of("ECHO", "new")));
        await Poll.UntilAsync(() => Task.FromResult(old.OpenConnections == 0), "the old client to close");
        await Assert.ThrowsAsync<UpstreamException>(async () => await old.SendAsync(Command.Of("ECHO", "late")));
        Assert.Equal(1, oldNode.CommandsReceived);
    }

    [Fact]
    public async Task Remove_KnownAndUnknownNode_ForgetsOnlyTheKnownOne()
    {
        await using var pool = new UpstreamPool();
        NodeClient client = pool.GetOrAdd("node-0", "127.0.0.1:7001");

        Assert.True(pool.Remove("node-0"));
        Assert.False(pool.Remove("node-0"));
        Assert.Empty(pool.Clients);
        Assert.NotSame(client, pool.GetOrAdd("node-0", "127.0.0.1:7001"));
    }

    /// <summary>A node leaving the ring while a lagging router's command is on its way to it: the command gets the node's answer, not an error.</summary>
    [Fact]
    public async Task Remove_RequestOnItsWay_GetsTheNodesReplyThenTheClientCloses()
    {
        await using FakeNode node = FakeNode.Start(_ => FakeReply.EchoHeld);
        await using var pool = new UpstreamPool(TestOptions.Create());
        NodeClient client = pool.GetOrAdd("node-0", node.Address);
        Task<RespValue> sending = client.SendAsync(Command.Of("ECHO", "on its way")).AsTask();
        await Poll.UntilAsync(() => Task.FromResult(node.CommandsReceived == 1), "the command to reach the node");

        Assert.True(pool.Remove("node-0"));
        node.ReleaseHeld();

        Command.AssertBulk("on its way", await sending);
        await Poll.UntilAsync(() => Task.FromResult(client.OpenConnections == 0), "the removed client to close");
    }

    [Fact]
    public async Task DisposeAsync_ThenGetOrAdd_ThrowsObjectDisposed()
    {
        var pool = new UpstreamPool();
        pool.GetOrAdd("node-0", "127.0.0.1:7001");

        await pool.DisposeAsync();

        Assert.Empty(pool.Clients);
        Assert.Throws<ObjectDisposedException>(() => pool.GetOrAdd("node-0", "127.0.0.1:7001"));
    }

    [Fact]
    public void Constructor_InconsistentOptions_ThrowsNamingTheSetting()
    {
        var options = new UpstreamOptions { MarkDownInterval = TimeSpan.FromSeconds(10) };

        ArgumentException e = Assert.Throws<ArgumentException>(() => new UpstreamPool(options));

        Assert.Equal(nameof(UpstreamOptions.MaxMarkDownInterval), e.ParamName);
    }

    [Fact]
    public async Task GetOrAdd_BadAddress_ThrowsNamingTheAddress()
    {
        await using var pool = new UpstreamPool();

        ArgumentException e = Assert.Throws<ArgumentException>(() => pool.GetOrAdd("node-0", "no-port"));

        Assert.Contains("'no-port' is not host:port", e.Message, StringComparison.Ordinal);
        Assert.Empty(pool.Clients);
    }
}
