using System.Runtime.InteropServices;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// Lets a ring change wait for the writes that judged ownership by the ring before it. A command
/// enters before it reads the ring and leaves once its effect is in the store; after a new ring
/// is in place, <see cref="WaitForEarlierAsync"/> returns when every command that entered before
/// has left. Entering costs one interlocked add on a counter of the caller's stripe, so the
/// request path pays almost nothing; the ring change, which is rare, does the waiting.
/// </summary>
/// <remarks>
/// Two sets of striped counters, one per phase. A waiter flips the phase (a full fence), then
/// waits for the old phase's counters to reach zero. A command that read the old phase but
/// incremented after the waiter looked reads the ring after its increment, and so the new ring.
/// </remarks>
public sealed class RingGate
{
    private const int Stripes = 16;

    private readonly PaddedCounter[] _counters = new PaddedCounter[2 * Stripes];
    private readonly SemaphoreSlim _waiting = new(1, 1);
    private int _phase;

    /// <summary>Enters; returns the ticket to pass to <see cref="Leave"/>.</summary>
    public int Enter()
    {
        int ticket = (Volatile.Read(ref _phase) * Stripes) + (Environment.CurrentManagedThreadId & (Stripes - 1));
        Interlocked.Increment(ref _counters[ticket].Value);
        return ticket;
    }

    public void Leave(int ticket) => Interlocked.Decrement(ref _counters[ticket].Value);

    /// <summary>Returns once every command that entered before this call has left.</summary>
    public async Task WaitForEarlierAsync(CancellationToken cancellationToken)
    {
        await _waiting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int old = Interlocked.Exchange(ref _phase, 1 - Volatile.Read(ref _phase));
            var spin = new SpinWait();
            while (Entered(old))
            {
                if (spin.NextSpinWillYield)
                {
                    await Task.Delay(1, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    spin.SpinOnce();
                }
            }
        }
        finally
        {
            _waiting.Release();
        }
    }

    private bool Entered(int phase)
    {
        for (int i = phase * Stripes; i < (phase + 1) * Stripes; i++)
        {
            if (Volatile.Read(ref _counters[i].Value) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A counter alone on its cache line, so stripes do not share one.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedCounter
    {
        [FieldOffset(64)]
        public long Value;
    }
}
