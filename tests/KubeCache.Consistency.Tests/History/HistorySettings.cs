namespace KubeCache.Consistency.Tests.History;

/// <summary>The size of a history run; the defaults keep one schedule around 10–20 s on two shared cores.</summary>
public sealed record HistorySettings
{
    /// <summary>Node processes; members of the first ring are drawn from them, the rest join later.</summary>
    public int Nodes { get; init; } = 5;

    public int FirstRingMembers { get; init; } = 3;

    public int Routers { get; init; } = 3;

    public int Clients { get; init; } = 4;

    /// <summary>String keys and as many counter keys per client.</summary>
    public int KeysPerClient { get; init; } = 8;

    /// <summary>Keys written once before the changes and only read afterwards.</summary>
    public int LoadedKeys { get; init; } = 400;

    /// <summary>Ring changes per schedule when the schedule draws them.</summary>
    public int Changes { get; init; } = 3;

    /// <summary>Whether a FLUSHALL runs during the changes; null: in a quarter of the schedules, drawn from the seed.</summary>
    public bool? FlushAll { get; init; }

    /// <summary>The share of node-to-node connections cut part-way (<see cref="CuttingProxy"/>); 0: links never fail. Read when the cluster starts.</summary>
    public double NodeLinkCuts { get; init; }

    /// <summary>Traffic before the first change and after the last one is applied everywhere.</summary>
    public TimeSpan QuietTraffic { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the coordinator waits for handoffs and routers before finishing anyway (a stall is reported).</summary>
    public TimeSpan CoordinatorDeadline { get; init; } = TimeSpan.FromSeconds(30);
}
