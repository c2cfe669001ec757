using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.Consistency.Tests.History;

/// <summary>
/// One node or router of a <see cref="ProcessCluster"/>: its own ring file, its ports (fixed for
/// its life, so a restarted node keeps its ring address) and, while it runs, its process.
/// </summary>
public sealed class Participant(string name, bool isRouter, string ringFile, int httpPort, int respPort)
{
    private readonly Lock _write = new();

    public string Name { get; } = name;

    public bool IsRouter { get; } = isRouter;

    public string RingFile { get; } = ringFile;

    public int HttpPort { get; } = httpPort;

    public int RespPort { get; } = respPort;

    /// <summary>The ring member a node is in a document; routers are in none.</summary>
    public RingMember Member => new(Name, $"127.0.0.1:{HttpPort}", $"127.0.0.1:{RespPort}");

    /// <summary>The running process, or null while a removed node is down.</summary>
    public ServerProcess? Process { get; set; }

    /// <summary>The publication number of the document in the ring file (0: none yet).</summary>
    public long WrittenSequence { get; private set; }

    /// <summary>When the ring file was last written, in the run's clock (ms).</summary>
    public long WrittenAt { get; private set; }

    /// <summary>The document last written, as given (the file holds it through <see cref="View"/>).</summary>
    public RingDocument? Written { get; private set; }

    /// <summary>Rewrites each document before it goes to the file: a node whose links to its peers pass through proxies sees their addresses.</summary>
    public Func<RingDocument, RingDocument>? View { get; set; }

    /// <summary>
    /// Replaces the ring file atomically with publication <paramref name="sequence"/>, unless a newer
    /// one is there already: a watch may skip a version, but never goes back. Returns whether it wrote.
    /// </summary>
    public bool Write(RingDocument document, long sequence, long now)
    {
        lock (_write)
        {
            if (sequence <= WrittenSequence)
            {
                return false;
            }

            string temporary = RingFile + ".tmp";
            File.WriteAllBytes(temporary, (View?.Invoke(document) ?? document).ToUtf8Json());
            File.Move(temporary, RingFile, overwrite: true);
            (WrittenSequence, WrittenAt, Written) = (sequence, now, document);
            return true;
        }
    }

    /// <summary>Deletes the ring file, as for a new pod whose watch has not delivered yet; the next <see cref="Write"/> creates it again.</summary>
    public void DeleteRingFile()
    {
        lock (_write)
        {
            File.Delete(RingFile);
            Written = null;
        }
    }

    /// <summary>The ring document the process uses (router <c>GET /ring</c>, node <c>GET /cluster/ring</c>), or null.</summary>
    public async Task<RingDocument?> AppliedAsync()
    {
        if (Process is not { } process || await process.GetAsync(IsRouter ? "/ring" : "/cluster/ring") is not { } json)
        {
            return null;
        }

        return RingDocument.Parse(json);
    }

    /// <summary>True once the process uses <paramref name="document"/>'s epoch, with or without <c>previous</c> as the document has it.</summary>
    public async Task<bool> HasAppliedAsync(RingDocument document) =>
        await AppliedAsync() is { } applied && applied.Epoch == document.Epoch && (applied.Previous is null) == (document.Previous is null);

    public override string ToString() => Name;
}
