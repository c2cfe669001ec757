using System.Globalization;
using System.Text;

namespace KubeCache.Consistency.Tests.History;

/// <summary>What the coordinator did and when each process got each document, in the run's clock.</summary>
public sealed class ScheduleLog(Func<long> clock)
{
    private readonly List<(long At, string What)> _events = [];

    public void Add(string what)
    {
        long at = clock();
        lock (_events)
        {
            _events.Add((at, what));
        }
    }

    /// <summary>The events from <paramref name="from"/> to <paramref name="to"/> (ms), one a line.</summary>
    public string Between(long from, long to)
    {
        var text = new StringBuilder();
        lock (_events)
        {
            foreach ((long at, string what) in _events.Where(e => e.At >= from && e.At <= to))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {at,7} ms  {what}\n");
            }
        }

        return text.ToString();
    }

    public override string ToString() => Between(long.MinValue, long.MaxValue);
}
