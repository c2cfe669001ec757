using KubeCache.Topology;

namespace KubeCache.Consistency.Tests.History;

/// <summary>
/// Publishes ring documents the way a cluster sees a ConfigMap change: every process gets the new
/// document in its own ring file after its own delay, drawn from the schedule's random source, so
/// processes apply it at different moments and in a different order each time. A process whose
/// delay outlasts the next publication skips the older document, as a watch may.
/// </summary>
public sealed class RingPublisher(ProcessCluster cluster, ScheduleLog log, Random random)
{
    /// <summary>Longest delay of most processes.</summary>
    public const int UsualDelayMs = 1_000;

    /// <summary>Longest delay of the one straggler some publications have.</summary>
    public const int StragglerDelayMs = 2_500;

    private readonly List<Task> _writes = [];

    /// <summary>The newest published document and its publication number.</summary>
    public (RingDocument? Document, long Sequence) Newest { get; private set; }

    /// <summary>True when <paramref name="participant"/>'s file lags the newest publication, or was written too recently to have been read.</summary>
    public bool IsLagging(Participant participant) =>
        participant.WrittenSequence < Newest.Sequence
        || cluster.Now - participant.WrittenAt < 3 * 50;

    /// <summary>Starts writing <paramref name="document"/> to every ring file; returns at once (see <see cref="WrittenAsync"/>).</summary>
    public void Publish(RingDocument document)
    {
        long sequence = cluster.NextSequence();
        Newest = (document, sequence);
        string name = NameOf(document);
        log.Add($"publish {name}: members [{string.Join(", ", document.Members.Select(m => m.Name))}]");
        List<Participant> participants = [.. cluster.All];
        int straggler = random.Next(3) == 0 ? random.Next(participants.Count) : -1;
        foreach ((Participant participant, int index) in participants.Select((p, i) => (p, i)))
        {
            int delay = index == straggler ? random.Next(UsualDelayMs, StragglerDelayMs) : random.Next(UsualDelayMs);
            Task write = WriteAsync(participant, document, sequence, name, delay);
            lock (_writes)
            {
                _writes.Add(write);
            }
        }
    }

    /// <summary>Writes <paramref name="document"/> to every ring file at once (a schedule's starting ring).</summary>
    public void PublishEverywhere(RingDocument document)
    {
        Newest = (document, cluster.WriteEverywhere(document));
        log.Add($"every file <- {NameOf(document)}: members [{string.Join(", ", document.Members.Select(m => m.Name))}]");
    }

    /// <summary>Waits until every write started so far has happened (or was skipped).</summary>
    public async Task WrittenAsync()
    {
        Task[] writes;
        lock (_writes)
        {
            writes = [.. _writes];
        }

        await Task.WhenAll(writes);
    }

    private static string NameOf(RingDocument document) =>
        $"e{document.Epoch}{(document.Previous is null ? "" : $"(prev e{document.Previous.Epoch})")}";

    private async Task WriteAsync(Participant participant, RingDocument document, long sequence, string name, int delayMs)
    {
        await Task.Delay(delayMs);
        log.Add(participant.Write(document, sequence, cluster.Now)
            ? $"  {participant.Name} file <- {name}"
            : $"  {participant.Name} skips {name} (has a newer one)");
    }
}
