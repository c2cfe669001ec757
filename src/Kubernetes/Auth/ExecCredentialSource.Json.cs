using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KubeCache.Kubernetes.Auth;

internal sealed partial class ExecCredentialSource
{
    /// <summary>
    /// KUBERNETES_EXEC_INFO: an ExecCredential whose spec says the run is not interactive and,
    /// when asked for, describes the cluster. (The kind is ExecCredential, singular.)
    /// </summary>
    internal string ExecInfoJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", ApiVersionV1);
            json.WriteString("kind", "ExecCredential");
            json.WriteStartObject("spec");
            json.WriteBoolean("interactive", false);
            if (_config.ProvideClusterInfo)
            {
                json.WriteStartObject("cluster");
                json.WriteString("server", _cluster.Server.ToString().TrimEnd('/'));
                if (_cluster.TlsServerName is { Length: > 0 } serverName)
                {
                    json.WriteString("tls-server-name", serverName);
                }
                if (_cluster.CertificateAuthorityData is { Length: > 0 } ca)
                {
                    json.WriteString("certificate-authority-data", ca);
                }
                if (_cluster.InsecureSkipTlsVerify)
                {
                    json.WriteBoolean("insecure-skip-tls-verify", true);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads the plugin's ExecCredential: a token, or a PEM certificate and key, and an optional expiry.</summary>
    internal (Credential Credential, DateTimeOffset? Expires) ParseOutput(string output)
    {
        string origin = $"The exec plugin '{_command}' from '{_kubeconfigPath}'";
        try
        {
            using var document = JsonDocument.Parse(output);
            JsonElement root = document.RootElement;
            if (Text(root, "kind") != "ExecCredential")
            {
                ThrowHelper.ThrowConfiguration($"{origin} printed kind '{Text(root, "kind")}', not ExecCredential.");
            }
            if (Text(root, "apiVersion") != ApiVersionV1)
            {
                ThrowHelper.ThrowConfiguration($"{origin} answered with apiVersion '{Text(root, "apiVersion")}', not {ApiVersionV1}.");
            }
            if (!root.TryGetProperty("status", out JsonElement status) || status.ValueKind != JsonValueKind.Object)
            {
                return ThrowHelper.ThrowConfiguration<(Credential, DateTimeOffset?)>($"{origin} printed an ExecCredential without status.");
            }
            string? token = Text(status, "token");
            string? cert = Text(status, "clientCertificateData");
            string? key = Text(status, "clientKeyData");
            if (string.IsNullOrEmpty(token) && (string.IsNullOrEmpty(cert) || string.IsNullOrEmpty(key)))
            {
                ThrowHelper.ThrowConfiguration($"{origin} gave neither status.token nor both clientCertificateData and clientKeyData.");
            }
            DateTimeOffset? expires = Text(status, "expirationTimestamp") is { Length: > 0 } at
                ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : null;
            var certificate = string.IsNullOrEmpty(cert) || string.IsNullOrEmpty(key) ? null : Pem.LoadClientCertificate(cert, key, origin);
            return (new Credential(string.IsNullOrEmpty(token) ? null : token, certificate), expires);
        }
        catch (JsonException e)
        {
            return ThrowHelper.ThrowConfiguration<(Credential, DateTimeOffset?)>($"{origin} printed something that is not JSON: {e.Message}", e);
        }
        catch (FormatException e)
        {
            return ThrowHelper.ThrowConfiguration<(Credential, DateTimeOffset?)>($"{origin} printed a bad expirationTimestamp: {e.Message}", e);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
