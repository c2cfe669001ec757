using KubeCache.Prometheus.Aggregation;

namespace KubeCache.Prometheus.Exposition;

/// <summary>
/// Groups instruments into metric families by Prometheus name. Instruments that map to one name
/// merge when their types (and histogram buckets) agree. On a clash the instrument that sorts first
/// (by meter name, then instrument name) owns the family and the others are left out, with a
/// comment line in the output naming them, because one name cannot carry two types.
/// </summary>
internal static class FamilyAssembler
{
    public static List<MetricFamily> Assemble(IEnumerable<InstrumentAggregator> aggregators)
    {
        var ordered = aggregators
            .OrderBy(static a => a.FamilyName, StringComparer.Ordinal)
            .ThenBy(static a => a.Instrument.Meter.Name, StringComparer.Ordinal)
            .ThenBy(static a => a.Instrument.Name, StringComparer.Ordinal);

        var families = new List<MetricFamily>();
        foreach (var aggregator in ordered)
        {
            var family = families.Count > 0 && families[^1].Name == aggregator.FamilyName ? families[^1] : null;
            if (family is null)
            {
                family = new MetricFamily(aggregator.FamilyName, aggregator.Type);
                families.Add(family);
            }

            if (!family.TryJoin(aggregator.Type, aggregator.Bounds))
            {
                family.Notes.Add(ClashNote(family, aggregator));
                continue;
            }

            family.SetHelpIfMissing(aggregator.Instrument.Description);
            foreach (var point in aggregator.Collect())
            {
                family.Add(point);
            }
        }

        return families;
    }

    private static string ClashNote(MetricFamily family, InstrumentAggregator aggregator)
    {
        string reason = family.Type == aggregator.Type
            ? "its histogram buckets differ"
            : $"it is a {aggregator.Type.ToText()} and the family is a {family.Type.ToText()}";
        return $"Instrument {TextEscaping.EscapeHelp(aggregator.Instrument.Name)} of meter "
            + $"{TextEscaping.EscapeHelp(aggregator.Instrument.Meter.Name)} is not exported as {family.Name}: {reason}.";
    }
}
