namespace KubeCache.Kubernetes;

/// <summary>The lock and timing of a <see cref="LeaderElector"/>. Times must satisfy LeaseDuration &gt; RenewDeadline &gt; 1.2 × RetryPeriod.</summary>
public sealed class LeaderElectionOptions
{
    /// <summary>The Lease object's name, e.g. <c>kvcache-operator-leader</c>.</summary>
    public required string LeaseName { get; init; }

    /// <summary>The Lease object's namespace.</summary>
    public required string LeaseNamespace { get; init; }

    /// <summary>This candidate's identity (the pod name); unique among candidates.</summary>
    public required string Identity { get; init; }

    /// <summary>
    /// How long other candidates wait, from the moment they saw the lease last change, before
    /// taking it over. Whole seconds (rounded up). Default: 15 seconds.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A leader that has not renewed for this long steps down. Default: 10 seconds.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The leader renews, and candidates retry (with up to 1.2× jitter), this often. Default: 2 seconds.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On cancellation the leader hands the lease back (holder "" and a 1-second duration), so a successor need not wait. Default: true.</summary>
    public bool ReleaseOnCancel { get; init; } = true;

    /// <summary>Monotonic clock (<see cref="TimeProvider.GetTimestamp"/>) for expiry, wall clock for the record's times. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Candidates' retry jitter factor (client-go's JitterFactor).</summary>
    internal const double JitterFactor = 1.2;

    internal void Validate()
    {
        if (string.IsNullOrEmpty(LeaseName) || string.IsNullOrEmpty(LeaseNamespace) || string.IsNullOrEmpty(Identity))
        {
            ThrowHelper.ThrowArgument(nameof(LeaderElectionOptions), "Leader election needs a lease name, a lease namespace and an identity.");
        }
        if (RetryPeriod <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(RetryPeriod), $"RetryPeriod must be positive (got {RetryPeriod}).");
        }
        if (LeaseDuration <= RenewDeadline)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(LeaseDuration), $"LeaseDuration ({LeaseDuration}) must be greater than RenewDeadline ({RenewDeadline}).");
        }
        if (RenewDeadline <= RetryPeriod * JitterFactor)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(RenewDeadline), $"RenewDeadline ({RenewDeadline}) must be greater than {JitterFactor} × RetryPeriod ({RetryPeriod}).");
        }
    }

    internal int LeaseDurationSeconds => (int)Math.Ceiling(LeaseDuration.TotalSeconds);
}
