using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using KubeCache.Operator.Builders;
using KubeCache.Security.Tls;

namespace KubeCache.Operator.Reconcile;

/// <summary>
/// The HTTP clients the operator asks a cluster's pods with. Without spec.tls, one shared plain
/// client (port 7171). With it, one client per cluster that speaks HTTPS to the pods'
/// <see cref="SecurityParts.TlsHttpPort"/> and accepts a pod's certificate only when it chains to
/// the ca.crt of the cluster's TLS Secret and names the pod asked (the check routers and nodes make
/// of each other, <see cref="PeerCertificateValidator"/>), so the API key the operator sends never
/// crosses the network in clear nor reaches a pod posing as another. A cluster's client is kept
/// while its CA stays the same, so polls reuse connections.
/// </summary>
public sealed class PodHttpClients : IDisposable
{
    /// <summary>The name a request's pod must prove over TLS.</summary>
    internal static readonly HttpRequestOptionsKey<string> PeerName = new("kubecache.peer-name");

    private readonly HttpClient _plain = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
    private readonly ConcurrentDictionary<string, (string CaPem, HttpClient Client)> _tls = new(StringComparer.Ordinal);

    /// <summary>Plain HTTP on each pod's own address.</summary>
    public PodHttp Plain => new(_plain, null);

    /// <summary>HTTPS for the cluster <paramref name="clusterKey"/>, verifying pods against <paramref name="caPem"/>.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="caPem"/> holds no certificate.</exception>
    public PodHttp Tls(string clusterKey, string secretName, string caPem)
    {
        if (_tls.TryGetValue(clusterKey, out var known) && known.CaPem == caPem)
        {
            return new PodHttp(known.Client, SecurityParts.TlsHttpPort);
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(caPem);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            authorities.Clear();
        }

        if (authorities.Count == 0)
        {
            ThrowHelper.ThrowTlsSecretWithoutCa(secretName, "its ca.crt holds no PEM certificate");
        }

        var handler = new HttpClientHandler
        {
            UseProxy = false,
            ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) =>
                request.RequestUri is { } uri && request.Options.TryGetValue(PeerName, out string? name)
                && PeerCertificateValidator.Validate(certificate, chain, errors, authorities, uri.DnsSafeHost, name),
        };
        var client = new HttpClient(handler);
        _tls[clusterKey] = (caPem, client);
        known.Client?.Dispose();
        return new PodHttp(client, SecurityParts.TlsHttpPort);
    }

    /// <summary>Drops the client of a cluster that is gone.</summary>
    public void Forget(string clusterKey)
    {
        if (_tls.TryRemove(clusterKey, out var known))
        {
            known.Client.Dispose();
        }
    }

    public void Dispose()
    {
        _plain.Dispose();
        foreach (var (_, client) in _tls.Values)
        {
            client.Dispose();
        }

        _tls.Clear();
    }
}

/// <summary>The client one reconcile asks a cluster's pods with.</summary>
/// <param name="Client">Plain, or HTTPS verifying against the cluster's CA.</param>
/// <param name="TlsPort">The pods' HTTPS port; null for plain HTTP on each pod's own address.</param>
public sealed record PodHttp(HttpClient Client, int? TlsPort)
{
    /// <summary>A GET of <paramref name="path"/> on the pod at <paramref name="address"/> (<c>host:7171</c>), expected to be <paramref name="peerName"/>.</summary>
    public HttpRequestMessage Get(string address, string peerName, string path)
    {
        Uri uri = TlsPort is { } port
            ? new Uri(string.Create(CultureInfo.InvariantCulture, $"https://{address[..address.LastIndexOf(':')]}:{port}{path}"))
            : new Uri($"http://{address}{path}");
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Options.Set(PodHttpClients.PeerName, peerName);
        return request;
    }
}
