using k8s;
using KubeCache.Configuration;
using KubeCache.Kubernetes;
using KubeCache.Operator.Crd;
using KubeCache.Operator.Hosting;
using KubeCache.Operator.Options;

namespace KubeCache.Operator;

/// <summary>
/// The operator's entry point. With options (or none) it runs the operator against the cluster
/// it finds (in-cluster service account, else KUBECONFIG or ~/.kube/config), logging to stdout;
/// <c>generate-crds &lt;dir&gt;...</c> writes the CRDs generated from the C# types instead.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "generate-crds")
        {
            return GenerateCrds(args[1..]);
        }

        if (args is ["--help"] or ["-h"])
        {
            Console.Out.Write(OperatorOptionTable.Table.Help());
            Console.Out.Write("\nOr: KubeCache.Operator generate-crds <output-directory>... (writes the CRDs generated from the C# types)\n");
            return 0;
        }

        OperatorOptions options;
        KubernetesClientConfiguration config;
        try
        {
            options = OperatorOptionTable.Parse(args, Environment.GetEnvironmentVariables());
            config = KubernetesConnection.Load();
        }
        catch (OptionException e)
        {
            Console.Error.WriteLine($"kvcache-operator: {e.Message}");
            return 2;
        }
        catch (KubernetesConfigurationException e)
        {
            Console.Error.WriteLine($"kvcache-operator: no Kubernetes API to talk to: {e.Message}");
            return 2;
        }

        await using OperatorServer server = OperatorServer.Create(options, config);
        await server.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static int GenerateCrds(string[] directories)
    {
        if (directories.Length == 0)
        {
            Console.Error.WriteLine("""
                Usage: KubeCache.Operator generate-crds <output-directory>...
                  Writes the CustomResourceDefinitions generated from the C# types into each directory.
                  From the repository root: dotnet run --project src/Operator -- generate-crds $PWD/crds $PWD/charts/kvcache/crds
                """);
            return 2;
        }

        foreach (string directory in directories)
        {
            foreach (string path in CrdFiles.Write(directory))
            {
                Console.WriteLine($"wrote {path}");
            }
        }

        return 0;
    }
}
