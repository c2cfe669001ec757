using KubeCache.Operator.Crd;

namespace KubeCache.Operator;

/// <summary>
/// The operator's entry point. <c>generate-crds &lt;dir&gt;...</c> writes the CRDs generated
/// from the C# types into each directory; anything else prints usage.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "generate-crds")
        {
            foreach (string directory in args[1..])
            {
                foreach (string path in CrdFiles.Write(directory))
                {
                    Console.WriteLine($"wrote {path}");
                }
            }

            return 0;
        }

        Console.Error.WriteLine("""
            Usage: KubeCache.Operator generate-crds <output-directory>...
              Writes the CustomResourceDefinitions generated from the C# types into each directory.
              From the repository root: dotnet run --project src/Operator -- generate-crds crds charts/kvcache/crds
            """);
        return args.Length == 0 || args[0] is "--help" or "-h" ? 0 : 2;
    }
}
