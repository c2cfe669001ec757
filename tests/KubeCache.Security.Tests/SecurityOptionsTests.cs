using KubeCache.Configuration;

namespace KubeCache.Security.Tests;

public class SecurityOptionsTests
{
    [Fact]
    public void Defaults_ArePinned()
    {
        var options = new SecurityOptions();

        Assert.Null(options.AuthKeysFile);
        Assert.False(options.AuthMetrics);
        Assert.Equal(10, options.AuthMaxFailures);
        Assert.Equal(TimeSpan.FromSeconds(60), options.AuthFailureWindow);
        Assert.Equal(TimeSpan.FromSeconds(10), options.SecretsPollInterval);
        Assert.Null(options.TlsCertFile);
        Assert.Null(options.TlsKeyFile);
        Assert.Null(options.TlsCaFile);
        Assert.Equal((0, 0, 0), (options.TlsHttpPort, options.TlsRespPort, options.PeerTlsPort));
        Assert.False(options.PeerTls);
        Assert.False(options.TlsEnabled);
    }

    [Theory]
    [InlineData("--tls-http-port")]
    [InlineData("--tls-key-file")]
    [InlineData("--auth-max-failures")]
    [InlineData("--auth-failure-window")]
    public void Validate_ImpossibleCombination_FailsNamingTheFlag(string flag)
    {
        var options = new SecurityOptions();
        switch (flag)
        {
            case "--tls-http-port": options.TlsHttpPort = 7443; break;
            case "--tls-key-file": options.TlsCertFile = "tls.crt"; break;
            case "--auth-max-failures": options.AuthMaxFailures = -1; break;
            default: options.AuthFailureWindow = TimeSpan.Zero; break;
        }

        OptionException error = Assert.Throws<OptionException>(options.Validate);

        Assert.Equal(flag, error.Flag);
    }

    [Fact]
    public void Target_PeerTlsPort_ReplacesTheRingPort()
    {
        var options = new SecurityOptions { PeerTls = true, PeerTlsPort = 6380 };
        var connector = new Tls.PeerConnector(options, null, new Keys.ApiKeyStore(null, TimeSpan.FromHours(1), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Equal("10.0.0.5:6380", connector.Target("10.0.0.5:6379"));
        Assert.Equal("[::1]:6380", connector.Target("[::1]:6379"));
        Assert.Equal("10.0.0.5:6379", Tls.PeerConnector.None.Target("10.0.0.5:6379"));
    }
}
