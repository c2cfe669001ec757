using System.Text.Json;
using KubeCache.Kubernetes.Models;

namespace KubeCache.Kubernetes;

public sealed partial class LeaderElector
{
    private static readonly ApiResource Leases = ApiResource.Leases;

    /// <summary>
    /// One round of client-go's tryAcquireOrRenew: read the lease; create it when missing; note
    /// when its record changed; leave it alone while another holder's record is younger than its
    /// duration by our clock; otherwise write ourselves in with the version we read (a 409 means
    /// another candidate won the race).
    /// </summary>
    internal async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            Lease? lease = await _client.TryGetAsync(Leases, _options.LeaseNamespace, _options.LeaseName, KubernetesJsonContext.Default.Lease, cancellationToken)
                .ConfigureAwait(false);
            long now = _time.GetTimestamp();
            DateTimeOffset wallNow = _time.GetUtcNow();
            if (lease is null)
            {
                var created = new Lease
                {
                    Metadata = new ObjectMeta { Name = _options.LeaseName, Namespace = _options.LeaseNamespace },
                    Spec = OurRecord(wallNow, wallNow, transitions: 0),
                };
                Observe(await _client.CreateAsync(Leases, created, KubernetesJsonContext.Default.Lease, cancellationToken).ConfigureAwait(false), now);
                return true;
            }

            LeaseSpec old = lease.Spec ?? new LeaseSpec();
            if (Serialize(old) != _observedRecord)
            {
                Observe(lease, now);
            }
            _lease = lease;
            string holder = old.HolderIdentity ?? "";
            int durationSeconds = old.LeaseDurationSeconds ?? _options.LeaseDurationSeconds;
            if (holder.Length > 0 && holder != _options.Identity && _time.GetElapsedTime(_observedTime, now) < TimeSpan.FromSeconds(durationSeconds))
            {
                return false;
            }

            bool renewing = holder == _options.Identity;
            lease.Spec = OurRecord(renewing ? old.AcquireTime ?? wallNow : wallNow, wallNow,
                renewing ? old.LeaseTransitions ?? 0 : (old.LeaseTransitions ?? 0) + 1);
            Observe(await _client.ReplaceAsync(Leases, lease, KubernetesJsonContext.Default.Lease, cancellationToken).ConfigureAwait(false), now);
            return true;
        }
        catch (KubernetesApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Lost the race (a stale resourceVersion, or another candidate created the lease first).
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ReportError(e);
            return false;
        }
    }

    private LeaseSpec OurRecord(DateTimeOffset acquired, DateTimeOffset renewed, int transitions) => new()
    {
        HolderIdentity = _options.Identity,
        LeaseDurationSeconds = _options.LeaseDurationSeconds,
        AcquireTime = acquired,
        RenewTime = renewed,
        LeaseTransitions = transitions,
    };

    /// <summary>Remembers the record and when we saw it; only this local observation time decides expiry.</summary>
    private void Observe(Lease lease, long now)
    {
        LeaseSpec spec = lease.Spec ?? new LeaseSpec();
        string? previousHolder = _observedSpec?.HolderIdentity;
        _lease = lease;
        _observedRecord = Serialize(spec);
        Volatile.Write(ref _observedSpec, spec);
        _observedTime = now;
        if (spec.HolderIdentity != previousHolder)
        {
            Invoke(() => NewLeader?.Invoke(spec.HolderIdentity ?? ""));
        }
    }

    private static string Serialize(LeaseSpec spec) => JsonSerializer.Serialize(spec, KubernetesJsonContext.Default.LeaseSpec);

    /// <summary>Hands the lease back: holder "" and a 1-second duration, so a successor takes over at once.</summary>
    private async Task ReleaseAsync()
    {
        if (_lease is null || _observedSpec?.HolderIdentity != _options.Identity)
        {
            return;
        }
        DateTimeOffset wallNow = _time.GetUtcNow();
        _lease.Spec = new LeaseSpec
        {
            HolderIdentity = "",
            LeaseDurationSeconds = 1,
            AcquireTime = wallNow,
            RenewTime = wallNow,
            LeaseTransitions = _observedSpec.LeaseTransitions ?? 0,
        };
        using var timeout = new CancellationTokenSource(_options.RenewDeadline, _time);
        try
        {
            Observe(await _client.ReplaceAsync(Leases, _lease, KubernetesJsonContext.Default.Lease, timeout.Token).ConfigureAwait(false), _time.GetTimestamp());
        }
        catch (Exception e)
        {
            // The lease then simply expires after its duration.
            ReportError(e);
        }
    }
}
