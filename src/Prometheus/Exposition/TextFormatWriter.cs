using System.Buffers;
using System.Text;

namespace KubeCache.Prometheus.Exposition;

/// <summary>Writes metric families as Prometheus text format 0.0.4, UTF-8, straight into a buffer writer.</summary>
internal readonly struct TextFormatWriter(IBufferWriter<byte> output)
{
    public void WriteFamilies(IEnumerable<MetricFamily> families)
    {
        foreach (var family in families)
        {
            WriteFamily(family);
        }
    }

    private void WriteFamily(MetricFamily family)
    {
        foreach (string note in family.Notes)
        {
            WriteLine("# ", note);
        }

        if (family.Help is not null)
        {
            WriteLine("# HELP ", family.Name, " ", family.Help);
        }

        WriteLine("# TYPE ", family.Name, " ", family.Type.ToText());
        foreach (var point in family.Points)
        {
            if (point.Histogram is { } histogram)
            {
                WriteHistogram(family.Name, point.Labels, histogram);
            }
            else
            {
                WriteSample(family.Name, "", point.Labels, null, point.Value.ToString());
            }
        }
    }

    private void WriteHistogram(string name, string labels, HistogramData histogram)
    {
        long cumulative = 0;
        for (int i = 0; i < histogram.Counts.Length; i++)
        {
            cumulative += histogram.Counts[i];
            string le = i < histogram.Bounds.Length ? NumberFormatter.Format(histogram.Bounds[i]) : "+Inf";
            WriteSample(name, "_bucket", labels, le, NumberFormatter.Format(cumulative));
        }

        WriteSample(name, "_sum", labels, null, NumberFormatter.Format(histogram.Sum));
        WriteSample(name, "_count", labels, null, NumberFormatter.Format(cumulative));
    }

    private void WriteSample(string name, string suffix, string labels, string? le, string value)
    {
        Write(name);
        Write(suffix);
        if (labels.Length > 0 || le is not null)
        {
            Write("{");
            Write(labels);
            if (le is not null)
            {
                Write(labels.Length > 0 ? ",le=\"" : "le=\"");
                Write(le);
                Write("\"");
            }

            Write("}");
        }

        Write(" ");
        Write(value);
        Write("\n");
    }

    private void WriteLine(params ReadOnlySpan<string> parts)
    {
        foreach (string part in parts)
        {
            Write(part);
        }

        Write("\n");
    }

    private void Write(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
