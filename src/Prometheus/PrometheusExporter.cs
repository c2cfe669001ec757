using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using KubeCache.Prometheus.Aggregation;
using KubeCache.Prometheus.Exposition;

namespace KubeCache.Prometheus;

/// <summary>
/// Listens to the named <see cref="Meter"/>s (including meters created later), aggregates their
/// measurements in memory and writes them in Prometheus text exposition format 0.0.4.
/// Recording is lock-free; scrapes are serialized with each other.
/// </summary>
public sealed partial class PrometheusExporter : IDisposable
{
    /// <summary>The HTTP <c>Content-Type</c> of what <see cref="Write"/> produces.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly HashSet<string> _meterNames;
    private readonly object? _meterScope;
    private readonly PrometheusExporterOptions _options;
    private readonly MeterListener _listener;
    private readonly Lock _scrapeLock = new();
    private bool _disposed;

    /// <param name="meterNames">Names of the meters to export, compared case-insensitively.</param>
    /// <param name="options">Settings; copied, so later changes have no effect. Default: <c>new()</c>.</param>
    /// <param name="meterScope">
    /// When set, only meters whose <see cref="Meter.Scope"/> is this object are exported. Meter names
    /// are process-wide, so components that run side by side in one process (several in-process
    /// nodes) each pass the scope their meters were created with to export only their own.
    /// Default: null, every meter with a matching name.
    /// </param>
    public PrometheusExporter(IEnumerable<string> meterNames, PrometheusExporterOptions? options = null, object? meterScope = null)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        _meterNames = new HashSet<string>(meterNames, StringComparer.OrdinalIgnoreCase);
        if (_meterNames.Count == 0)
        {
            ThrowHelper.ThrowNoMeterNames();
        }

        _meterScope = meterScope;
        _options = Copy(options ?? new PrometheusExporterOptions());
        BucketBoundaries.Validate(_options);
        _listener = CreateListener();
        _listener.Start();
    }

    /// <summary>Records observable instruments, then writes every family as UTF-8 text.</summary>
    public void Write(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        new TextFormatWriter(output).WriteFamilies(Collect());
    }

    /// <summary>Like <see cref="Write"/>, into a stream (an HTTP response body).</summary>
    public async Task WriteAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        Write(buffer);
        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Like <see cref="Write"/>, as a string; for tests and diagnostics.</summary>
    public string WriteToString()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        Write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public void Dispose()
    {
        lock (_scrapeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _listener.Dispose();
    }

    private List<MetricFamily> Collect()
    {
        lock (_scrapeLock)
        {
            if (_disposed)
            {
                ThrowHelper.ThrowDisposed();
            }

            _listener.RecordObservableInstruments();
            return FamilyAssembler.Assemble(SnapshotAggregators());
        }
    }

    private static PrometheusExporterOptions Copy(PrometheusExporterOptions options)
    {
        var copy = new PrometheusExporterOptions { HistogramBoundaries = [.. options.HistogramBoundaries ?? []] };
        foreach (var (name, bounds) in options.HistogramBoundariesByInstrument)
        {
            copy.HistogramBoundariesByInstrument[name] = [.. bounds ?? []];
        }

        return copy;
    }
}
