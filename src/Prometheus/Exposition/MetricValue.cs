namespace KubeCache.Prometheus.Exposition;

/// <summary>
/// A scalar sample kept as an exact integer part plus a floating part, so integer instruments
/// stay exact past 2^53 and merging an integer and a floating instrument still adds up.
/// </summary>
internal readonly record struct MetricValue(long Integer, double Floating)
{
    public static MetricValue operator +(MetricValue left, MetricValue right) =>
        new(unchecked(left.Integer + right.Integer), left.Floating + right.Floating);

    public override string ToString() =>
        Floating == 0
            ? NumberFormatter.Format(Integer)
            : NumberFormatter.Format(Integer + Floating);
}
