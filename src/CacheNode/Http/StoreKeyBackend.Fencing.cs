using KubeCache.CacheNode.Cluster;
using KubeCache.ClientContract.Http;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Http;

/// <summary>The ownership check of the key endpoints: the same rules as RESP (docs/topology.md, "Ownership fencing").</summary>
public sealed partial class StoreKeyBackend
{
    /// <summary>
    /// Judges <paramref name="keys"/> by the ring in use (for a request that <paramref name="writes"/>
    /// them, or only reads them), taking keys that move here from their previous owner first.
    /// Returns the refusal when the request cannot run here (421 naming the owner, or 503 when a
    /// previous owner cannot be reached); otherwise null, and <paramref name="gate"/> holds the
    /// ring gate until the caller's store operations are done.
    /// </summary>
    private async ValueTask<HttpFailure?> AdmitAsync(IReadOnlyList<byte[]> keys, bool writes, GateScope gate, CancellationToken cancellationToken)
    {
        Fence? pulledUnder = null;
        while (true)
        {
            gate.Enter(ring.Gate);
            Fence? fence = ring.Fence;
            if (fence is null && ring.AwaitingRing)
            {
                gate.Dispose();
                return new HttpFailure(
                    StatusCodes.Status503ServiceUnavailable,
                    "This node has not received its ring document yet, so it cannot tell which keys are its own; retry, or send the request through a router.");
            }

            if (fence is null || fence.OwnsAll || fence == pulledUnder)
            {
                return null;
            }

            List<(byte[] Key, RingMember From)>? pulls = null;
            foreach (byte[] key in keys)
            {
                switch (fence.JudgeFor(key, store, writes, out RingMember? other))
                {
                    case Ownership.Moved:
                        gate.Dispose();
                        return new HttpFailure(
                            StatusCodes.Status421MisdirectedRequest,
                            $"This node does not own the key under ring epoch {fence.Epoch}; its owner is {other!.Name} ({other.Http}). Send it there, or through a router.");
                    case Ownership.MovingHere:
                        (pulls ??= []).Add((key, other!));
                        break;
                }
            }

            if (pulls is null)
            {
                return null;
            }

            // Started inside the gate, awaited outside it (see RespCommandTable.PullThenRunAsync).
            Task pulling = puller.PullAsync(fence, pulls, cancellationToken);
            gate.Dispose();
            try
            {
                await pulling.ConfigureAwait(false);
            }
            catch (IOException e)
            {
                return new HttpFailure(StatusCodes.Status503ServiceUnavailable, $"The key is moving to this node and {e.Message}; retry.");
            }

            pulledUnder = fence;
        }
    }

    /// <summary>One request's place inside the ring gate; leaving twice is harmless.</summary>
    private sealed class GateScope : IDisposable
    {
        private RingGate? _gate;
        private int _ticket;

        public void Enter(RingGate gate)
        {
            if (_gate is null)
            {
                _ticket = gate.Enter();
                _gate = gate;
            }
        }

        public void Dispose()
        {
            if (_gate is { } gate)
            {
                _gate = null;
                gate.Leave(_ticket);
            }
        }
    }
}
