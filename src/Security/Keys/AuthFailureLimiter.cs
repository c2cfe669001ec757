using System.Collections.Concurrent;
using System.Net;

namespace KubeCache.Security.Keys;

/// <summary>
/// Counts failed authentications per client address in fixed windows; an address that reaches
/// the limit is refused until its window ends, so keys cannot be guessed at line rate.
/// </summary>
public sealed class AuthFailureLimiter(int maxFailures, TimeSpan window, TimeProvider time)
{
    /// <summary>Addresses tracked before expired windows are swept, so a scan from many addresses cannot grow memory without bound.</summary>
    private const int SweepThreshold = 10_000;

    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    /// <summary>The window, which a limited address waits out.</summary>
    public TimeSpan WindowLength => window;

    /// <summary>Whether <paramref name="address"/> has used up its failures for the current window.</summary>
    public bool IsLimited(IPAddress? address)
    {
        if (maxFailures == 0 || address is null || !_windows.TryGetValue(address, out Window? current))
        {
            return false;
        }

        lock (current)
        {
            return current.Failures >= maxFailures && !current.HasEnded(time.GetTimestamp(), window, time);
        }
    }

    /// <summary>Counts one failure; returns true when the address is now limited.</summary>
    public bool RecordFailure(IPAddress? address)
    {
        if (maxFailures == 0 || address is null)
        {
            return false;
        }

        if (_windows.Count > SweepThreshold)
        {
            Sweep();
        }

        long now = time.GetTimestamp();
        Window current = _windows.GetOrAdd(address, _ => new Window(now));
        lock (current)
        {
            if (current.HasEnded(now, window, time))
            {
                current.Start = now;
                current.Failures = 0;
            }

            return ++current.Failures >= maxFailures;
        }
    }

    private void Sweep()
    {
        long now = time.GetTimestamp();
        foreach (KeyValuePair<IPAddress, Window> entry in _windows)
        {
            if (entry.Value.HasEnded(now, window, time))
            {
                _windows.TryRemove(entry);
            }
        }
    }

    private sealed class Window(long start)
    {
        public long Start { get; set; } = start;

        public int Failures { get; set; }

        public bool HasEnded(long now, TimeSpan length, TimeProvider time) => time.GetElapsedTime(Start, now) >= length;
    }
}
