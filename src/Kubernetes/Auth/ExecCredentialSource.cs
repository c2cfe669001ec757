using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using KubeCache.Kubernetes.Kubeconfig;

namespace KubeCache.Kubernetes.Auth;

/// <summary>The cluster fields a plugin receives when the kubeconfig sets <c>provideClusterInfo</c>.</summary>
internal sealed record ExecClusterInfo(Uri Server, string? CertificateAuthorityData, bool InsecureSkipTlsVerify, string? TlsServerName);

/// <summary>
/// Runs a client.authentication.k8s.io/v1 credential plugin and caches what it prints until its
/// <c>expirationTimestamp</c> (forever when it gives none) or until the server answers 401.
/// </summary>
internal sealed partial class ExecCredentialSource : CredentialSource
{
    public const string ApiVersionV1 = "client.authentication.k8s.io/v1";

    private readonly ExecConfig _config;
    private readonly ExecClusterInfo _cluster;
    private readonly string _command;
    private readonly string _kubeconfigPath;
    private readonly KubernetesConfigSources _sources;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Credential? _cached;
    private DateTimeOffset? _expires;
    private Credential? _last;

    public ExecCredentialSource(ExecConfig config, ExecClusterInfo cluster, string baseDir, string kubeconfigPath, KubernetesConfigSources sources)
    {
        if (config.ApiVersion != ApiVersionV1)
        {
            ThrowHelper.ThrowConfiguration($"The exec plugin in '{kubeconfigPath}' uses apiVersion '{config.ApiVersion}'; this client speaks {ApiVersionV1}.");
        }
        if (config.InteractiveMode is not ("Never" or "IfAvailable" or "Always"))
        {
            ThrowHelper.ThrowConfiguration($"The exec plugin in '{kubeconfigPath}' must set interactiveMode to Never, IfAvailable or Always ({ApiVersionV1} requires it).");
        }
        if (string.IsNullOrEmpty(config.Command))
        {
            ThrowHelper.ThrowConfiguration($"The exec plugin in '{kubeconfigPath}' names no command.");
        }
        _config = config;
        _cluster = cluster;
        // As kubectl does: a command with a directory part is relative to the kubeconfig; a bare name is looked up on PATH.
        _command = config.Command.Contains('/') || config.Command.Contains(Path.DirectorySeparatorChar)
            ? KubeconfigLoader.Resolve(config.Command, baseDir)
            : config.Command;
        _kubeconfigPath = kubeconfigPath;
        _sources = sources;
    }

    public override X509Certificate2? CurrentClientCertificate => Volatile.Read(ref _last)?.ClientCertificate;

    public override async ValueTask<Credential> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is null || (_expires is { } expires && _sources.TimeProvider.GetUtcNow() >= expires))
            {
                (_cached, _expires) = await RunAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _last, _cached);
            }
            return _cached;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Invalidate(Credential rejected)
    {
        _gate.Wait();
        try
        {
            if (ReferenceEquals(_cached, rejected))
            {
                _cached = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(Credential, DateTimeOffset?)> RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in _config.Args ?? [])
        {
            start.ArgumentList.Add(arg);
        }
        foreach (ExecEnvVar env in _config.Env ?? [])
        {
            if (!string.IsNullOrEmpty(env.Name))
            {
                start.Environment[env.Name] = env.Value ?? "";
            }
        }
        start.Environment["KUBERNETES_EXEC_INFO"] = ExecInfoJson();

        using Process process = StartProcess(start);
        // The plugin runs non-interactively: it gets no terminal, so an empty stdin.
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        string output = await stdout.ConfigureAwait(false);
        string errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            ThrowHelper.ThrowConfiguration($"The exec plugin '{_command}' from '{_kubeconfigPath}' exited with code {process.ExitCode}: {errors.Trim()}");
        }
        return ParseOutput(output);
    }

    private Process StartProcess(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? ThrowHelper.ThrowConfiguration<Process>($"The exec plugin '{_command}' did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            string hint = string.IsNullOrEmpty(_config.InstallHint) ? "" : " " + _config.InstallHint;
            return ThrowHelper.ThrowConfiguration<Process>($"The exec plugin '{_command}' named in '{_kubeconfigPath}' cannot be started: {e.Message}.{hint}", e);
        }
    }
}
