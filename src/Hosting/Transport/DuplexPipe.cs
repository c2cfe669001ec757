using System.IO.Pipelines;

namespace KubeCache.Hosting.Transport;

/// <summary>A connection's two directions as one <see cref="IDuplexPipe"/>: what is read from it and what is written to it.</summary>
public sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
