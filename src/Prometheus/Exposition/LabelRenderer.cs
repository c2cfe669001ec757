using System.Text;

namespace KubeCache.Prometheus.Exposition;

/// <summary>Renders a tag set as the inside of a Prometheus label list, in a stable order.</summary>
internal static class LabelRenderer
{
    /// <summary>The label histograms use for bucket bounds; a tag with that name would duplicate it.</summary>
    private const string BucketLabel = "le";

    public static string Render(IReadOnlyList<KeyValuePair<string, object?>> tags, bool isHistogram = false)
    {
        if (tags.Count == 0)
        {
            return "";
        }

        var labels = new List<(string Name, string Key, string Value)>(tags.Count);
        foreach (var tag in tags)
        {
            string name = MetricNamer.SanitizeLabelName(tag.Key);
            labels.Add((isHistogram && name == BucketLabel ? "_" + name : name, tag.Key, TextEscaping.TagValueText(tag.Value)));
        }

        labels.Sort(static (a, b) =>
        {
            int byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Key, b.Key);
        });

        var builder = new StringBuilder();
        for (int i = 0; i < labels.Count; i++)
        {
            // Keys that sanitize to the same label name (a.b and a_b) share one label, values joined by ';'.
            bool continuesPrevious = i > 0 && labels[i].Name == labels[i - 1].Name;
            if (continuesPrevious)
            {
                builder.Length--; // reopen the previous value's closing quote
                builder.Append(';');
            }
            else
            {
                if (builder.Length > 0)
                {
                    builder.Append(',');
                }

                builder.Append(labels[i].Name).Append("=\"");
            }

            builder.Append(TextEscaping.EscapeLabelValue(labels[i].Value)).Append('"');
        }

        return builder.ToString();
    }
}
