namespace KubeCache.Protocol;

/// <summary>Outcome of one attempt to read a frame from buffered input.</summary>
public enum RespReadStatus
{
    /// <summary>A whole frame was read and the buffer was sliced past it.</summary>
    Complete,

    /// <summary>The buffer ends inside a frame; read more input and try again with the same start.</summary>
    Incomplete,

    /// <summary>The input is not valid RESP; the connection cannot be resynchronised and should close.</summary>
    ProtocolError,
}
