using KubeCache.Topology.Json;

namespace KubeCache.Topology.Tests;

public class HandoffStatusJsonTests
{
    [Fact]
    public void TryParse_NodeAnswer_ReadsEveryField()
    {
        HandoffStatus? status = HandoffStatusJson.TryParse("""{"epoch":7,"state":"streaming","keysSent":12,"keysLeft":30,"problem":null}"""u8);

        Assert.Equal(new HandoffStatus(7, HandoffState.Streaming, 12, 30), status);
    }

    [Theory]
    [InlineData("""{"state":"done"}""")]
    [InlineData("""{"epoch":1,"state":"finished"}""")]
    [InlineData("""{"epoch":1,"state":"3"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"epoch":1,"state":2}""")]
    [InlineData("""not json""")]
    public void TryParse_ForeignAnswer_IsNull(string json)
    {
        Assert.Null(HandoffStatusJson.TryParse(System.Text.Encoding.UTF8.GetBytes(json)));
    }
}
