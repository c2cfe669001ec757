using KubeCache.Prometheus.Exposition;

namespace KubeCache.Prometheus.Tests;

public sealed class EscapingTests
{
    [Fact]
    public void Write_TrickyLabelValuesAndHelp_AreEscaped()
    {
        using var test = new TestMeter();
        var counter = test.Meter.CreateCounter<long>("errors", null, "Errors by \"kind\"\nC:\\path");

        counter.Add(1, new KeyValuePair<string, object?>("kind", "quote\" back\\slash\nnewline ünï"));

        Assert.Equal(
            "# HELP errors_total Errors by \"kind\"\\nC:\\\\path\n"
            + "# TYPE errors_total counter\n"
            + "errors_total{kind=\"quote\\\" back\\\\slash\\nnewline ünï\"} 1\n",
            test.Scrape());
    }

    [Fact]
    public void Write_NonStringTagValues_RenderInvariantly()
    {
        using var test = new TestMeter();
        var counter = test.Meter.CreateCounter<long>("typed");

        counter.Add(1, new("flag", true), new("ratio", 0.5), new("missing", null));

        Assert.Contains("typed_total{flag=\"true\",missing=\"\",ratio=\"0.5\"} 1\n", test.Scrape(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.0, "0")]
    [InlineData(42.0, "42")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(0.00005, "0.00005")]
    [InlineData(1.25e-7, "0.000000125")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(123456789012.5, "123456789012.5")]
    [InlineData(1e300, "1e+300")]
    [InlineData(-2.5e-30, "-2.5e-30")]
    public void Format_Double_IsInvariantAndPlainWherePossible(double value, string expected)
    {
        Assert.Equal(expected, NumberFormatter.Format(value));
    }

    [Fact]
    public void Format_LongBeyondDoublePrecision_StaysExact()
    {
        Assert.Equal("9007199254740993", new MetricValue(9007199254740993, 0).ToString());
    }
}
