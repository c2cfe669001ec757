using KubeCache.Topology.Json;

namespace KubeCache.Topology.Tests;

public class HandoffStatusJsonTests
{
    [Fact]
    public void TryParse_NodeAnswer_ReadsEveryField()
    {
        HandoffStatus? status = HandoffStatusJson.TryParse(
            """{"epoch":7,"state":"retrying","keysSent":12,"keysLeft":30,"keysDropped":3,"lastError":"cannot hand keys to b"}"""u8);

        Assert.Equal(new HandoffStatus(7, HandoffState.Retrying, 12, 30, 3, "cannot hand keys to b"), status);
    }

    [Fact]
    public void TryParse_AnswerWithoutNewerFields_DefaultsThem()
    {
        Assert.Equal(new HandoffStatus(7, HandoffState.Done, 12, 0), HandoffStatusJson.TryParse("""{"epoch":7,"state":"done","keysSent":12,"keysLeft":0}"""u8));
    }

    [Fact]
    public void RouterEpochTryParse_RouterAnswer_ReadsTheEpoch()
    {
        Assert.Equal(9, RouterEpochJson.TryParse("""{"status":"OK","epoch":9,"rebalancing":true}"""u8));
        Assert.Null(RouterEpochJson.TryParse("""{"status":"ERROR","message":"no ring yet"}"""u8));
        Assert.Null(RouterEpochJson.TryParse("""not json"""u8));
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
