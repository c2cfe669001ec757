namespace KubeCache.Prometheus.Tests;

public sealed class ConcurrencyTests
{
    private const int Threads = 8;
    private const int PerThread = 50_000;

    [Fact]
    public void Write_CountersRecordedFromManyThreads_SumExactly()
    {
        using var test = new TestMeter(new PrometheusExporterOptions { HistogramBoundaries = [1] });
        var longs = test.Meter.CreateCounter<long>("longs");
        var doubles = test.Meter.CreateCounter<double>("doubles");
        var histogram = test.Meter.CreateHistogram<double>("spread");
        using var start = new Barrier(Threads);

        RunThreads(thread =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                // A new tag set part-way through makes threads race to create the same series.
                var tag = new KeyValuePair<string, object?>("parity", (i % 2 == 0) ? "even" : "odd");
                longs.Add(1, tag);
                doubles.Add(0.5, tag);
                histogram.Record(thread % 2 == 0 ? 0.5 : 2.0, tag);
            }
        });

        string output = test.Scrape();
        int half = Threads * PerThread / 2;
        Assert.Contains($"longs_total{{parity=\"even\"}} {half}\nlongs_total{{parity=\"odd\"}} {half}\n", output, StringComparison.Ordinal);
        Assert.Contains($"doubles_total{{parity=\"even\"}} {half / 2}\n", output, StringComparison.Ordinal);
        Assert.Contains($"spread_bucket{{parity=\"odd\",le=\"1\"}} {half / 2}\nspread_bucket{{parity=\"odd\",le=\"+Inf\"}} {half}\n", output, StringComparison.Ordinal);
        Assert.Contains($"spread_count{{parity=\"even\"}} {half}\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ManyDistinctTagSetsFromManyThreads_KeepsEverySeries()
    {
        using var test = new TestMeter();
        var counter = test.Meter.CreateCounter<long>("keys");

        RunThreads(_ =>
        {
            for (int i = 0; i < 500; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("k", i));
            }
        });

        string[] lines = test.Scrape().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(501, lines.Length);
        Assert.All(lines.Skip(1), line => Assert.EndsWith($"}} {Threads}", line, StringComparison.Ordinal));
    }

    private static void RunThreads(Action<int> body)
    {
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() => body(i))).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }
    }
}
