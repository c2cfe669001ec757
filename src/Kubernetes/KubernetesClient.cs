using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using KubeCache.Kubernetes.Auth;
using KubeCache.Kubernetes.Models;

namespace KubeCache.Kubernetes;

/// <summary>
/// A small client of the Kubernetes REST API: get, list, watch, create, replace, apply, merge
/// patch and delete for any resource named by an <see cref="ApiResource"/>. Models are passed
/// as <c>JsonTypeInfo&lt;T&gt;</c> so callers keep their own source-generated contexts. Every
/// failure the server reports is a <see cref="KubernetesApiException"/> carrying its Status.
/// Thread-safe; create one per process and share it.
/// </summary>
public sealed partial class KubernetesClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _server;
    private readonly CredentialSource? _credentials;
    private readonly TimeSpan _requestTimeout;

    /// <param name="config">Where the server is and how to authenticate.</param>
    /// <param name="requestTimeout">Limit for each request other than a watch. Default: 100 seconds.</param>
    public KubernetesClient(KubernetesConfig config, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _server = config.Server.ToString().TrimEnd('/');
        _credentials = config.EffectiveCredentials;
        _requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(100);
        // Watches stay open for minutes, so the HttpClient never times out; other requests get _requestTimeout.
        _http = new HttpClient(CreateHandler(config), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public KubernetesConfig Config { get; }

    /// <summary>The namespace used when a call names none (<see cref="KubernetesConfig.Namespace"/>).</summary>
    public string DefaultNamespace => Config.Namespace;

    public void Dispose() => _http.Dispose();

    private SocketsHttpHandler CreateHandler(KubernetesConfig config)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        };
        string expectedHost = config.TlsServerName ?? config.Server.Host.Trim('[', ']');
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            TlsValidation.Validate(config, expectedHost, certificate as X509Certificate2, chain, errors);
        // A callback rather than a fixed list, because an exec plugin may hand out a new certificate.
        handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) =>
            config.ClientCertificate ?? _credentials?.CurrentClientCertificate!;
        return handler;
    }

    /// <summary>
    /// Sends one request with the current credential. A 401 invalidates the credential and, when
    /// a fresh one differs (rotated token file, re-run exec plugin), retries once. Any other
    /// failure status is thrown as a <see cref="KubernetesApiException"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? contentType,
        HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            Credential? credential = _credentials is null ? null : await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, _server + pathAndQuery);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (credential?.Token is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
            }

            HttpResponseMessage response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized && credential is not null && attempt == 0
                && await RefreshedAsync(credential, cancellationToken).ConfigureAwait(false))
            {
                response.Dispose();
                continue;
            }
            using (response)
            {
                throw ThrowHelper.ApiError(await ReadStatusAsync(response, cancellationToken).ConfigureAwait(false));
            }
        }
    }

    private async Task<bool> RefreshedAsync(Credential rejected, CancellationToken cancellationToken)
    {
        _credentials!.Invalidate(rejected);
        Credential fresh = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        return fresh.Token != rejected.Token || !ReferenceEquals(fresh.ClientCertificate, rejected.ClientCertificate);
    }

    /// <summary>The server's Status, or one built from the HTTP status when the body is not a Status.</summary>
    private static async Task<Status> ReadStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        Status? status = null;
        try
        {
            status = body.StartsWith('{') ? JsonSerializer.Deserialize(body, ModelsJsonContext.Default.Status) : null;
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's error page, say): build one below.
        }
        if (status is null || status.Kind != "Status")
        {
            status = new Status { Outcome = "Failure", Message = body.Length > 0 ? body : response.ReasonPhrase, Reason = ReasonFor(response.StatusCode) };
        }
        if (status.Code == 0)
        {
            status.Code = (int)response.StatusCode;
        }
        return status;
    }

    private static string ReasonFor(HttpStatusCode code) => code switch
    {
        HttpStatusCode.BadRequest => "BadRequest",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "NotFound",
        HttpStatusCode.Conflict => "Conflict",
        HttpStatusCode.Gone => "Expired",
        HttpStatusCode.UnsupportedMediaType => "UnsupportedMediaType",
        HttpStatusCode.UnprocessableEntity => "Invalid",
        HttpStatusCode.TooManyRequests => "TooManyRequests",
        HttpStatusCode.GatewayTimeout => "Timeout",
        _ => "InternalError",
    };

    /// <summary>A token that also fires after the per-request timeout; watches do not use it.</summary>
    private CancellationTokenSource TimeoutAfter(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(_requestTimeout);
        return source;
    }

    private string NamespaceOr(string? ns) => string.IsNullOrEmpty(ns) ? Config.Namespace : ns;
}
