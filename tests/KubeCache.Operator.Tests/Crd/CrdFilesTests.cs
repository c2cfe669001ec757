using KubeCache.Operator.Crd;
using KubeCache.Operator.Resources;
using KubeCache.Operator.Tests.Support;

namespace KubeCache.Operator.Tests.Crd;

/// <summary>The checked-in CRDs must be what the C# types generate today.</summary>
public class CrdFilesTests
{
    [Theory]
    [InlineData("crds")]
    [InlineData("charts/kvcache/crds")]
    public void GeneratedCrd_CheckedInFile_IsCurrent(string directory)
    {
        string path = RepoPaths.Combine(directory, CrdGenerator.FileName(typeof(KvCluster)));
        string expected = CrdGenerator.GenerateYaml(typeof(KvCluster));

        Assert.True(File.Exists(path), $"{path} is missing. From the repository root run: {CrdGenerator.RefreshCommand}");
        Assert.True(
            File.ReadAllText(path) == expected,
            $"{path} is stale: the KvCluster C# types changed since it was generated. From the repository root run: {CrdGenerator.RefreshCommand}");
    }

    [Fact]
    public void Write_TempDirectory_WritesOneFilePerResource()
    {
        string directory = Path.Combine(Path.GetTempPath(), "kvcache-crds-" + Guid.NewGuid().ToString("N"));
        try
        {
            IReadOnlyList<string> written = CrdFiles.Write(directory);

            string path = Assert.Single(written);
            Assert.Equal("kvclusters.kubecache.io.yaml", Path.GetFileName(path));
            Assert.Equal(CrdGenerator.GenerateYaml(typeof(KvCluster)), File.ReadAllText(path));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Main_GenerateCrds_WritesEachDirectory()
    {
        string root = Path.Combine(Path.GetTempPath(), "kvcache-crds-" + Guid.NewGuid().ToString("N"));
        try
        {
            int exit = await Program.Main(["generate-crds", Path.Combine(root, "a"), Path.Combine(root, "b")]);

            Assert.Equal(0, exit);
            Assert.True(File.Exists(Path.Combine(root, "a", "kvclusters.kubecache.io.yaml")));
            Assert.True(File.Exists(Path.Combine(root, "b", "kvclusters.kubecache.io.yaml")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Main_UnknownCommand_ReturnsUsageError()
    {
        Assert.Equal(2, await Program.Main(["reconcile"]));
    }
}
