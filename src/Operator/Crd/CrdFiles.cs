namespace KubeCache.Operator.Crd;

/// <summary>Writes the generated CRDs as files, one per custom resource.</summary>
public static class CrdFiles
{
    /// <summary>Writes every CRD into <paramref name="directory"/> (created if missing) and returns the paths written.</summary>
    public static IReadOnlyList<string> Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (Type type in CrdGenerator.CustomResourceTypes)
        {
            string path = Path.Combine(directory, CrdGenerator.FileName(type));
            File.WriteAllText(path, CrdGenerator.GenerateYaml(type));
            written.Add(path);
        }

        return written;
    }
}
