namespace KubeCache.Prometheus.Exposition;

/// <summary>
/// Everything written under one <c># TYPE</c> line. Instruments that map to the same name and
/// type add their series here; series with equal labels are summed (two meters counting the same thing).
/// </summary>
internal sealed class MetricFamily(string name, MetricType type)
{
    private readonly Dictionary<string, MetricPoint> _points = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public MetricType Type { get; } = type;

    /// <summary>The first non-empty instrument description, already escaped.</summary>
    public string? Help { get; private set; }

    /// <summary>Comment lines explaining instruments that could not join this family.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Bucket layout shared by every series of a histogram family.</summary>
    public double[]? Bounds { get; private set; }

    public IEnumerable<MetricPoint> Points =>
        _points.Values.OrderBy(static p => p.Labels, StringComparer.Ordinal);

    public void SetHelpIfMissing(string? description)
    {
        if (Help is null && !string.IsNullOrEmpty(description))
        {
            Help = TextEscaping.EscapeHelp(description);
        }
    }

    /// <summary>
    /// Lets an instrument add its series when its type matches; histograms also need the same
    /// buckets, because summing different layouts would mislead.
    /// </summary>
    public bool TryJoin(MetricType type, double[]? bounds)
    {
        if (type != Type || (Bounds is not null && bounds is not null && !Bounds.AsSpan().SequenceEqual(bounds)))
        {
            return false;
        }

        Bounds ??= bounds;
        return true;
    }

    public void Add(MetricPoint point)
    {
        _points[point.Labels] = _points.TryGetValue(point.Labels, out var existing) ? existing.Add(point) : point;
    }
}
