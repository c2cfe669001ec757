namespace KubeCache.ClientContract.Http;

/// <summary>The status and message a request gets; what a backend answers when it cannot serve a request.</summary>
public readonly record struct HttpFailure(int Status, string Message)
{
    /// <summary>
    /// GET of a key holding a hash: the HTTP API reads and writes string values only, as Redis's
    /// GET does (409: the request is right, the key's current kind is not). PUT replaces the hash.
    /// </summary>
    public static readonly HttpFailure HoldsHash = new(
        409, "key holds a hash, which the HTTP API does not read; read it over RESP with HGETALL or HGET, or replace it with PUT.");
}
