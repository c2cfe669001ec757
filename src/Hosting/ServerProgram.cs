using KubeCache.Configuration;

namespace KubeCache.Hosting;

/// <summary>The entry point every server process shares: --help, option parsing, start-up errors and the run until SIGTERM.</summary>
public static class ServerProgram
{
    /// <summary>Prints --help, or parses the options and runs the server <paramref name="create"/> builds until it is told to stop.</summary>
    /// <param name="program">The name error messages start with.</param>
    /// <param name="args">The command line.</param>
    /// <param name="table">The process's options.</param>
    /// <param name="create">Builds the server; the keys file, certificates and Kubernetes configuration it loads report problems like a bad flag.</param>
    /// <returns>The exit code: 0, or 2 for a bad option.</returns>
    public static async Task<int> RunAsync<TOptions>(string program, string[] args, OptionTable<TOptions> table, Func<TOptions, KubeCacheServer> create)
        where TOptions : new()
    {
        // Socket completions run on the epoll thread instead of being queued to the thread pool;
        // with Kestrel's inline scheduling a request then costs no thread hop at all (+30-40% RESP
        // requests/s at -P 1 in bench/resp-compare.sh). The runtime reads this once, before the first socket.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        if (args is ["--help"] or ["-h"])
        {
            Console.Out.Write(table.Help());
            return 0;
        }

        KubeCacheServer server;
        try
        {
            server = create(table.Parse(args, Environment.GetEnvironmentVariables()));
        }
        catch (OptionException e)
        {
            Console.Error.WriteLine($"{program}: {e.Message}");
            return 2;
        }

        await using (server.ConfigureAwait(false))
        {
            await server.RunAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
