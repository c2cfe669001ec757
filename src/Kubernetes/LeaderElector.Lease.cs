using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeCache.Kubernetes;

public sealed partial class LeaderElector
{
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
            V1Lease? lease = await ReadAsync(cancellationToken).ConfigureAwait(false);
            long now = _time.GetTimestamp();
            DateTime wallNow = _time.GetUtcNow().UtcDateTime;
            if (lease is null)
            {
                var created = new V1Lease
                {
                    ApiVersion = V1Lease.KubeGroup + "/" + V1Lease.KubeApiVersion,
                    Kind = V1Lease.KubeKind,
                    Metadata = new V1ObjectMeta { Name = _options.LeaseName, NamespaceProperty = _options.LeaseNamespace },
                    Spec = OurRecord(wallNow, wallNow, transitions: 0),
                };
                Observe(await _client.CoordinationV1.CreateNamespacedLeaseAsync(created, _options.LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false), now);
                return true;
            }

            V1LeaseSpec old = lease.Spec ?? new V1LeaseSpec();
            if (Serialize(old) != _observedRecord)
            {
                Observe(lease, now);
            }
            string holder = old.HolderIdentity ?? "";
            int durationSeconds = old.LeaseDurationSeconds ?? _options.LeaseDurationSeconds;
            if (holder.Length > 0 && holder != _options.Identity && _time.GetElapsedTime(_observedTime, now) < TimeSpan.FromSeconds(durationSeconds))
            {
                return false;
            }

            bool renewing = holder == _options.Identity;
            lease.Spec = OurRecord(renewing ? old.AcquireTime ?? wallNow : wallNow, wallNow,
                renewing ? old.LeaseTransitions ?? 0 : (old.LeaseTransitions ?? 0) + 1);
            Observe(await ReplaceAsync(lease, cancellationToken).ConfigureAwait(false), now);
            return true;
        }
        catch (HttpOperationException e) when (ApiErrors.IsConflict(e))
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

    private V1LeaseSpec OurRecord(DateTime acquired, DateTime renewed, int transitions) => new()
    {
        HolderIdentity = _options.Identity,
        LeaseDurationSeconds = _options.LeaseDurationSeconds,
        AcquireTime = acquired,
        RenewTime = renewed,
        LeaseTransitions = transitions,
    };

    /// <summary>Remembers the record and when we saw it; only this local observation time decides expiry.</summary>
    private void Observe(V1Lease lease, long now)
    {
        V1LeaseSpec spec = lease.Spec ?? new V1LeaseSpec();
        string? previousHolder = _observedSpec?.HolderIdentity;
        _observedRecord = Serialize(spec);
        Volatile.Write(ref _observedSpec, spec);
        _observedTime = now;
        if (spec.HolderIdentity != previousHolder)
        {
            Invoke(() => NewLeader?.Invoke(spec.HolderIdentity ?? ""));
        }
    }

    private static string Serialize(V1LeaseSpec spec) => KubernetesJson.Serialize(spec);

    private async Task<V1Lease?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoordinationV1.ReadNamespacedLeaseAsync(_options.LeaseName, _options.LeaseNamespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    // PUT with the resourceVersion read, so a concurrent writer makes this a 409 rather than being overwritten.
    private Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken) =>
        _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _options.LeaseName, _options.LeaseNamespace, cancellationToken: cancellationToken);

    /// <summary>
    /// Hands the lease back: holder "" and a 1-second duration, so a successor takes over at once.
    /// The lease is read afresh first, as client-go's release does: a renewal cancelled in flight
    /// may have been written, which leaves the copy held here a version behind (a 409).
    /// </summary>
    private async Task ReleaseAsync()
    {
        if (_observedSpec?.HolderIdentity != _options.Identity)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(_options.RenewDeadline, _time);
        try
        {
            while (true)
            {
                V1Lease? lease = await ReadAsync(timeout.Token).ConfigureAwait(false);
                if (lease?.Spec?.HolderIdentity != _options.Identity)
                {
                    return;
                }
                DateTime wallNow = _time.GetUtcNow().UtcDateTime;
                lease.Spec = new V1LeaseSpec
                {
                    HolderIdentity = "",
                    LeaseDurationSeconds = 1,
                    AcquireTime = wallNow,
                    RenewTime = wallNow,
                    LeaseTransitions = lease.Spec.LeaseTransitions ?? 0,
                };
                try
                {
                    Observe(await ReplaceAsync(lease, timeout.Token).ConfigureAwait(false), _time.GetTimestamp());
                    return;
                }
                catch (HttpOperationException e) when (ApiErrors.IsConflict(e))
                {
                    // Written meanwhile: read it again.
                }
            }
        }
        catch (Exception e)
        {
            // The lease then simply expires after its duration.
            ReportError(e);
        }
    }
}
