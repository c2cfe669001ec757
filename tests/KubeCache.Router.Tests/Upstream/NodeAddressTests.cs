using KubeCache.Router.Upstream;

namespace KubeCache.Router.Tests.Upstream;

public sealed class NodeAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:6379", "127.0.0.1", 6379)]
    [InlineData("demo-0.demo-nodes.ns.svc:7000", "demo-0.demo-nodes.ns.svc", 7000)]
    [InlineData("[::1]:6379", "::1", 6379)]
    public void Parse_HostAndPort_SplitsThem(string address, string host, int port)
    {
        Assert.Equal(new NodeAddress(host, port), NodeAddress.Parse(address, "address"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData(":6379")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:63x")]
    [InlineData("::1:6379")]
    [InlineData("my host:6379")]
    public void Parse_NotHostPort_ThrowsNamingTheAddress(string address)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => NodeAddress.Parse(address, "respAddress"));

        Assert.Equal("respAddress", e.ParamName);
        Assert.Contains($"'{address}' is not host:port", e.Message, StringComparison.Ordinal);
    }
}
