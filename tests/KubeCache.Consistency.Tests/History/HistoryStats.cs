using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace KubeCache.Consistency.Tests.History;

/// <summary>Counts of one run, shared by its clients.</summary>
public sealed partial class HistoryStats
{
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _operations;
    private long _unknown;
    private long _lagging;
    private long _laggingCorrect;

    /// <summary>Client commands sent (a two-key MSET or MGET counts once).</summary>
    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>Commands answered with an error or not at all: their outcome is unknown.</summary>
    public long Unknown => Interlocked.Read(ref _unknown);

    /// <summary>Commands sent through a router whose ring file lagged the newest publication.</summary>
    public long Lagging => Interlocked.Read(ref _lagging);

    /// <summary>Of <see cref="Lagging"/>, those answered as the history allows (not an error, not a violation).</summary>
    public long LaggingCorrect => Interlocked.Read(ref _laggingCorrect);

    /// <summary>Error replies by message, digits (ports, epochs, counts) replaced with <c>#</c>.</summary>
    public IReadOnlyDictionary<string, long> Errors => _errors;

    public void Count(bool unknown, bool lagging, bool correct, string? error = null)
    {
        Interlocked.Increment(ref _operations);
        if (error is not null)
        {
            _errors.AddOrUpdate(Digits().Replace(error, "#"), 1, (_, n) => n + 1);
        }

        if (unknown)
        {
            Interlocked.Increment(ref _unknown);
        }

        if (lagging)
        {
            Interlocked.Increment(ref _lagging);
            if (correct)
            {
                Interlocked.Increment(ref _laggingCorrect);
            }
        }
    }

    public void Add(HistoryStats other)
    {
        Interlocked.Add(ref _operations, other.Operations);
        Interlocked.Add(ref _unknown, other.Unknown);
        Interlocked.Add(ref _lagging, other.Lagging);
        Interlocked.Add(ref _laggingCorrect, other.LaggingCorrect);
        foreach ((string error, long count) in other.Errors)
        {
            _errors.AddOrUpdate(error, count, (_, n) => n + count);
        }
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
