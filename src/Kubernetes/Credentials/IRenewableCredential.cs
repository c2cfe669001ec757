namespace KubeCache.Kubernetes.Credentials;

/// <summary>A credential the client fetches again when the API server refuses it (a 401).</summary>
internal interface IRenewableCredential
{
    /// <summary>What of this credential <paramref name="request"/> goes out with (null: none), renewed first when it is due.</summary>
    object? Presented(HttpRequestMessage request);

    /// <summary>
    /// The server refused <paramref name="presented"/>: fetch the credential again (unless that
    /// already happened) and put it on <paramref name="request"/>. False when the fresh one is the
    /// one refused, so sending again is pointless.
    /// </summary>
    bool Renew(HttpRequestMessage request, object presented);
}
