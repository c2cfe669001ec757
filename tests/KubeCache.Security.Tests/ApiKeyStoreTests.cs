using KubeCache.Configuration;
using KubeCache.Security.Keys;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeCache.Security.Tests;

public class ApiKeyStoreTests
{
    private static readonly TimeSpan NoPolling = TimeSpan.FromHours(1);

    [Fact]
    public void Verify_EveryListedKey_IsAcceptedAndCommentsAreNot()
    {
        string file = WriteKeys("# rotation: old key first\n\n  old-key  \r\nnew-key\n#commented-key\n");
        using var store = new ApiKeyStore(file, NoPolling, NullLogger.Instance);

        Assert.True(store.Enabled);
        Assert.Equal(2, store.Count);
        Assert.True(store.Verify("old-key"));
        Assert.True(store.Verify("new-key"));
        Assert.False(store.Verify("#commented-key"));
        Assert.False(store.Verify("commented-key"));
        Assert.Equal("old-key", store.PeerKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("secret")]
    [InlineData("secret-key-x")]
    [InlineData("SECRET-KEY")]
    public void Verify_WrongOrPartialKey_IsRejected(string presented)
    {
        using var store = new ApiKeyStore(WriteKeys("secret-key\n"), NoPolling, NullLogger.Instance);

        Assert.False(store.Verify(presented));
    }

    [Fact]
    public void Constructor_NoFile_AuthenticationIsOff()
    {
        using var store = new ApiKeyStore(null, NoPolling, NullLogger.Instance);

        Assert.False(store.Enabled);
        Assert.Null(store.PeerKey);
        Assert.False(store.Verify("anything"));
    }

    [Theory]
    [InlineData("# only a comment\n\n")]
    [InlineData(null)]
    public void Constructor_FileWithoutKeysOrMissing_FailsNamingTheFlag(string? content)
    {
        string path = content is null ? Path.Combine(Path.GetTempPath(), "kvcache-missing-" + Guid.NewGuid()) : WriteKeys(content);

        OptionException error = Assert.Throws<OptionException>(() => new ApiKeyStore(path, NoPolling, NullLogger.Instance));

        Assert.Equal("--auth-keys-file", error.Flag);
    }

    [Fact]
    public void Reload_SecretVolumeSymlinkSwap_AcceptsTheNewKeys()
    {
        // A Secret volume: keys -> ..data/keys, ..data -> ..<timestamp>; an update re-points ..data.
        string volume = Directory.CreateTempSubdirectory("kvcache-secret-").FullName;
        string first = Directory.CreateDirectory(Path.Combine(volume, "..v1")).FullName;
        File.WriteAllText(Path.Combine(first, "keys"), "key-one\n");
        Directory.CreateSymbolicLink(Path.Combine(volume, "..data"), first);
        File.CreateSymbolicLink(Path.Combine(volume, "keys"), Path.Combine("..data", "keys"));
        using var store = new ApiKeyStore(Path.Combine(volume, "keys"), NoPolling, NullLogger.Instance);
        Assert.True(store.Verify("key-one"));

        string second = Directory.CreateDirectory(Path.Combine(volume, "..v2")).FullName;
        File.WriteAllText(Path.Combine(second, "keys"), "key-two\nkey-one\n");
        Directory.CreateSymbolicLink(Path.Combine(volume, "..data_tmp"), second);
        RenameOver(Path.Combine(volume, "..data_tmp"), Path.Combine(volume, "..data"));
        Assert.True(store.Reload());

        Assert.True(store.Verify("key-two"));
        Assert.True(store.Verify("key-one"));
        Assert.Equal("key-two", store.PeerKey);
        Assert.False(store.Reload());
    }

    [Fact]
    public void Reload_FileEmptiedOrRemoved_KeepsThePreviousKeys()
    {
        string file = WriteKeys("kept-key\n");
        using var store = new ApiKeyStore(file, NoPolling, NullLogger.Instance);

        File.WriteAllText(file, "\n# nothing\n");
        Assert.False(store.Reload());
        File.Delete(file);
        Assert.False(store.Reload());

        Assert.True(store.Verify("kept-key"));
    }

    [Fact]
    public async Task Polling_FileEdited_NewKeyAcceptedWithoutReloadCall()
    {
        string file = WriteKeys("before\n");
        using var store = new ApiKeyStore(file, TimeSpan.FromMilliseconds(50), NullLogger.Instance);

        File.WriteAllText(file, "after\n");

        long until = Environment.TickCount64 + 10_000;
        while (!store.Verify("after") && Environment.TickCount64 < until)
        {
            await Task.Delay(20);
        }

        Assert.True(store.Verify("after"));
        Assert.False(store.Verify("before"));
    }

    /// <summary>rename(2) over an existing symlink, as kubelet's atomic writer does (.NET's moves refuse to replace it).</summary>
    private static void RenameOver(string source, string target)
    {
        using var mv = System.Diagnostics.Process.Start("mv", ["-Tf", source, target]);
        mv.WaitForExit();
        Assert.Equal(0, mv.ExitCode);
    }

    internal static string WriteKeys(string content)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("kvcache-keys-").FullName, "keys");
        File.WriteAllText(path, content);
        return path;
    }
}
