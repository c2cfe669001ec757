namespace KubeCache.Kubernetes.Informers;

/// <summary>
/// Exponential backoff with jitter, as client-go's reflector uses: start at the initial wait,
/// double per failure up to the maximum, add up to the same again at random, and start over
/// once no failure happened for the reset period.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, TimeSpan resetAfter, TimeProvider time)
{
    private TimeSpan _current;
    private long _lastFailure;

    /// <summary>The wait before the next attempt, advancing the sequence.</summary>
    public TimeSpan Next()
    {
        long now = time.GetTimestamp();
        _current = _lastFailure == 0 || time.GetElapsedTime(_lastFailure, now) > resetAfter
            ? initial
            : TimeSpan.FromTicks(Math.Min(_current.Ticks * 2, max.Ticks));
        _lastFailure = now;
        return _current + _current * Random.Shared.NextDouble();
    }
}
