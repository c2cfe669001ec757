using KubeCache.Protocol;

namespace KubeCache.Hosting.Resp;

/// <summary>What <see cref="RespConnectionLoop{TConnection}"/> reads and sets on one client connection.</summary>
public interface IRespConnection : IDisposable
{
    /// <summary>The command being read and run; its arguments point into the input until the batch ends.</summary>
    RespCommand Command { get; }

    /// <summary>True when a keys file is configured: commands go through the authentication rules first.</summary>
    bool AuthRequired { get; }

    /// <summary>Whether the connection has presented a valid API key; true from the start when authentication is off.</summary>
    bool Authenticated { get; set; }

    /// <summary>Set by QUIT, by the authentication rules and by protocol errors: the loop writes what is owed and closes.</summary>
    bool Closing { get; set; }
}
