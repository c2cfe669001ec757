using KubeCache.Router.Tests.Support;
using KubeCache.Router.Upstream;

namespace KubeCache.Router.Tests.Upstream;

/// <summary>The mark-down state machine on a clock the test moves.</summary>
public sealed class NodeHealthTests
{
    private static readonly UpstreamOptions Options = new()
    {
        MarkDownInterval = TimeSpan.FromMilliseconds(100),
        MaxMarkDownInterval = TimeSpan.FromMilliseconds(500),
    };

    private readonly ManualTime _time = new();
    private readonly NodeHealth _health;

    public NodeHealthTests() => _health = new NodeHealth(Options, _time);

    [Fact]
    public void Failed_UpNode_MarksDownForInitialIntervalAndRefuses()
    {
        Assert.True(_health.TryAdmit(out long ticket, out _));

        Assert.True(_health.Failed(ticket, "connection refused", out TimeSpan interval));

        Assert.Equal(TimeSpan.FromMilliseconds(100), interval);
        Assert.True(_health.IsDown);
        Assert.Equal(1, _health.MarkedDownCount);
        Assert.False(_health.TryAdmit(out _, out string cause));
        Assert.Equal("connection refused", cause);
    }

    [Fact]
    public void TryAdmit_IntervalPassed_LetsExactlyOneProbeThrough()
    {
        MarkDown();
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.True(_health.TryAdmit(out long probe, out _));
        Assert.NotEqual(NodeHealth.Regular, probe);
        Assert.False(_health.TryAdmit(out _, out _));
    }

    [Fact]
    public void Failed_ProbeAfterProbe_DoublesIntervalUpToMax()
    {
        MarkDown();
        var intervals = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            _time.Advance(_health.Interval);
            Assert.True(_health.TryAdmit(out long probe, out _));
            Assert.True(_health.Failed(probe, "still refused", out TimeSpan interval));
            intervals.Add(interval.TotalMilliseconds);
        }

        Assert.Equal([200, 400, 500, 500, 500], intervals);
        Assert.Equal(1, _health.MarkedDownCount);
    }

    [Fact]
    public void Succeeded_Probe_BringsNodeUpAndNextMarkDownStartsOver()
    {
        MarkDown();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(_health.TryAdmit(out long probe, out _));
        Assert.True(_health.Failed(probe, "refused", out _));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(_health.TryAdmit(out probe, out _));

        Assert.True(_health.Succeeded(probe));

        Assert.False(_health.IsDown);
        Assert.Equal(TimeSpan.Zero, _health.Interval);
        MarkDown();
        Assert.Equal(TimeSpan.FromMilliseconds(100), _health.Interval);
        Assert.Equal(2, _health.MarkedDownCount);
    }

    [Fact]
    public void Failed_RegularRequestWhileDown_NeitherCountsNorExtends()
    {
        MarkDown();

        Assert.False(_health.Failed(NodeHealth.Regular, "timed out too", out _));
        Assert.False(_health.Succeeded(NodeHealth.Regular));

        Assert.True(_health.IsDown);
        Assert.Equal(TimeSpan.FromMilliseconds(100), _health.Interval);
        Assert.Equal(1, _health.MarkedDownCount);
    }

    [Fact]
    public void Abandoned_Probe_NextRequestProbesInstead()
    {
        MarkDown();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(_health.TryAdmit(out long probe, out _));

        _health.Abandoned(probe);

        Assert.True(_health.TryAdmit(out long next, out _));
        Assert.NotEqual(probe, next);
        Assert.True(_health.IsDown);
    }

    private void MarkDown()
    {
        Assert.True(_health.TryAdmit(out long ticket, out _));
        Assert.True(_health.Failed(ticket, "refused", out _));
    }
}
