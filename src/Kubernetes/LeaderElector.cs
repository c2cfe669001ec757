using k8s;
using k8s.Models;

namespace KubeCache.Kubernetes;

/// <summary>
/// Leader election over a coordination.k8s.io/v1 Lease, as client-go does it: the leader renews
/// the lease every RetryPeriod and steps down when no renewal succeeds within RenewDeadline;
/// a candidate takes over only after the lease record stayed unchanged for its
/// leaseDurationSeconds of local, monotonic time, so clock skew between machines does not matter.
/// There is no fencing: work started as leader should stop when the leading token fires.
/// </summary>
public sealed partial class LeaderElector
{
    private readonly IKubernetes _client;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private string? _observedRecord;
    private V1LeaseSpec? _observedSpec;
    private long _observedTime;
    private volatile bool _isLeader;

    public LeaderElector(IKubernetes client, LeaderElectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _time = options.TimeProvider;
    }

    /// <summary>
    /// Raised when this candidate becomes leader. The token is cancelled when leadership ends;
    /// start the leader's work on it and return promptly.
    /// </summary>
    public event Action<CancellationToken>? StartedLeading;

    /// <summary>Raised when this candidate stops leading: renewal failed past RenewDeadline, or it was cancelled.</summary>
    public event Action? StoppedLeading;

    /// <summary>Raised when the observed lease holder changes (the argument may be "" after a release).</summary>
    public event Action<string>? NewLeader;

    /// <summary>Raised when reading or writing the lease fails; the elector retries by itself. For logging.</summary>
    public event Action<Exception>? Error;

    /// <summary>True while this candidate holds the lease.</summary>
    public bool IsLeader => _isLeader;

    /// <summary>The holder in the last lease record seen; null before the first read.</summary>
    public string? Leader => Volatile.Read(ref _observedSpec)?.HolderIdentity;

    /// <summary>
    /// Contends for the lease, leads while renewals succeed, and contends again after losing it,
    /// until <paramref name="cancellationToken"/> fires; then releases the lease if it holds it
    /// (unless <see cref="LeaderElectionOptions.ReleaseOnCancel"/> is off).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
                break;
            }
            using (var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                _isLeader = true;
                Invoke(() => StartedLeading?.Invoke(leading.Token));
                await RenewWhileLeadingAsync(cancellationToken).ConfigureAwait(false);
                _isLeader = false;
                await leading.CancelAsync().ConfigureAwait(false);
                Invoke(() => StoppedLeading?.Invoke());
            }
        }
        if (_options.ReleaseOnCancel)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Retries every RetryPeriod (jittered) until the lease is ours; false when cancelled first.</summary>
    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
            {
                TimeSpan wait = _options.RetryPeriod * (1 + (Random.Shared.NextDouble() * LeaderElectionOptions.JitterFactor));
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Renews every RetryPeriod; returns when a renewal round fails for RenewDeadline, or on cancellation.</summary>
    private async Task RenewWhileLeadingAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.RetryPeriod, _time, cancellationToken).ConfigureAwait(false);
                if (!await RenewWithinDeadlineAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; RunAsync releases.
        }
    }

    private async Task<bool> RenewWithinDeadlineAsync(CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.RenewDeadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while (!await TryAcquireOrRenewAsync(linked.Token).ConfigureAwait(false))
            {
                await Task.Delay(_options.RetryPeriod, _time, linked.Token).ConfigureAwait(false);
            }
            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void Invoke(Action callback)
    {
        try
        {
            callback();
        }
        catch (Exception e)
        {
            ReportError(e);
        }
    }

    private void ReportError(Exception error)
    {
        try
        {
            Error?.Invoke(error);
        }
        catch (Exception)
        {
            // A failing error handler must not stop the election.
        }
    }
}
