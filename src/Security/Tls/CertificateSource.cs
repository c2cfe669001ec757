using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeCache.Background;
using KubeCache.Configuration;
using Microsoft.Extensions.Logging;

namespace KubeCache.Security.Tls;

/// <summary>
/// The certificate the TLS listeners serve and the CA that peers are verified against, read
/// from PEM files (cert-manager's tls.crt, tls.key, ca.crt) and re-read every poll interval.
/// A changed set of files replaces <see cref="Current"/> in one reference swap: handshakes that
/// start afterwards use the new certificate, open connections keep theirs. Files that do not
/// load (a rotation half done) are ignored until they do.
/// </summary>
public sealed class CertificateSource : IDisposable
{
    private readonly string _certFile;
    private readonly string _keyFile;
    private readonly string? _caFile;
    private readonly ILogger _logger;
    private readonly BackgroundErrors _errors;
    private readonly Timer _poll;
    private volatile Loaded _current;

    /// <exception cref="OptionException">The files do not hold a certificate and its key.</exception>
    public CertificateSource(string certFile, string keyFile, string? caFile, TimeSpan pollInterval, ILogger logger, BackgroundErrors? errors = null)
    {
        _errors = errors ?? BackgroundErrors.Unobserved;
        _certFile = certFile;
        _keyFile = keyFile;
        _caFile = caFile;
        _logger = logger;
        _current = Load(out string? problem) ?? throw new OptionException("--tls-cert-file", problem!);
        Log.CertificateLoaded(logger, certFile, _current.Context.TargetCertificate.Subject, _current.Context.TargetCertificate.NotAfter.ToUniversalTime());
        _poll = new Timer(static s => ((CertificateSource)s!).ReloadOnTimer(), this, pollInterval, pollInterval);
    }

    /// <summary>What a server handshake presents now: the leaf and the rest of its chain.</summary>
    public SslStreamCertificateContext Current => _current.Context;

    /// <summary>The CA certificates of --tls-ca-file, or null when none was given (the system's roots are trusted).</summary>
    public X509Certificate2Collection? Authorities => _current.Authorities;

    /// <summary>Reads the files again; returns true when the certificate (or CA) changed.</summary>
    public bool Reload()
    {
        Loaded? loaded = Load(out string? problem);
        if (loaded is null)
        {
            Log.CertificateRejected(_logger, problem!);
            return false;
        }

        if (CryptographicOperations.FixedTimeEquals(loaded.FilesHash, _current.FilesHash))
        {
            return false;
        }

        _current = loaded;
        Log.CertificateLoaded(_logger, _certFile, loaded.Context.TargetCertificate.Subject, loaded.Context.TargetCertificate.NotAfter.ToUniversalTime());
        return true;
    }

    public void Dispose() => _poll.Dispose();

    private void ReloadOnTimer() => _errors.Run("certificate-reload", () => Reload());

    private Loaded? Load(out string? problem)
    {
        problem = null;
        try
        {
            byte[] cert = File.ReadAllBytes(_certFile);
            byte[] key = File.ReadAllBytes(_keyFile);
            byte[] ca = _caFile is null ? [] : File.ReadAllBytes(_caFile);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(cert);
            hash.AppendData(key);
            hash.AppendData(ca);
            byte[] filesHash = hash.GetHashAndReset();
            if (_current is { } current && CryptographicOperations.FixedTimeEquals(filesHash, current.FilesHash))
            {
                return current;
            }

            string certPem = System.Text.Encoding.ASCII.GetString(cert);
            X509Certificate2 leaf = X509Certificate2.CreateFromPem(certPem, System.Text.Encoding.ASCII.GetString(key));
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(certPem);
            X509Certificate2Collection? authorities = null;
            if (_caFile is not null)
            {
                authorities = [];
                authorities.ImportFromPem(System.Text.Encoding.ASCII.GetString(ca));
                if (authorities.Count == 0)
                {
                    problem = $"{_caFile} holds no PEM certificate.";
                    return null;
                }
            }

            var intermediates = new X509Certificate2Collection();
            foreach (X509Certificate2 extra in chain.Skip(1))
            {
                intermediates.Add(extra);
            }

            SslStreamCertificateContext context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
            return new Loaded(context, authorities, filesHash);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            problem = $"cannot load {_certFile} with {_keyFile}: {e.Message}";
            return null;
        }
    }

    private sealed record Loaded(SslStreamCertificateContext Context, X509Certificate2Collection? Authorities, byte[] FilesHash);
}
