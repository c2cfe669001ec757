using System.Collections;
using System.Globalization;
using System.Text;

namespace KubeCache.Configuration;

/// <summary>
/// A process's options as data: flags (<c>--flag value</c> or <c>--flag=value</c>) over KVCACHE_*
/// environment variables, --help text and the README's configuration table all come from one
/// list of <see cref="OptionSpec{TOptions}"/>, so they cannot disagree. <paramref name="elsewhere"/>
/// names flags another program takes, with where to use them, so a user who brings one here is
/// told where it belongs.
/// </summary>
public sealed class OptionTable<TOptions>(string program, IReadOnlyList<OptionSpec<TOptions>> specs, Action<TOptions> validate,
    IReadOnlyDictionary<string, string>? elsewhere = null)
    where TOptions : new()
{
    public IReadOnlyList<OptionSpec<TOptions>> Specs { get; } = specs;

    /// <summary>Builds validated options; throws <see cref="OptionException"/> naming the flag at the first problem.</summary>
    public TOptions Parse(IReadOnlyList<string> args, IDictionary environment)
    {
        var options = new TOptions();
        foreach (OptionSpec<TOptions> spec in Specs)
        {
            if (environment[spec.EnvironmentVariable] is string value && value.Length > 0)
            {
                spec.Apply(options, value);
            }
        }

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string flag = arg.Split('=', 2)[0];
            OptionSpec<TOptions> spec = Specs.FirstOrDefault(s => s.Flag == flag)
                ?? throw new OptionException(flag, elsewhere?.GetValueOrDefault(flag) is { } there
                    ? $"is not an option of {program}: {there}"
                    : "is not an option; run with --help to list them.");
            string value = arg.Contains('=', StringComparison.Ordinal) ? arg.Split('=', 2)[1]
                : i + 1 < args.Count ? args[++i]
                : throw new OptionException(flag, "needs a value.");
            spec.Apply(options, value);
        }

        validate(options);
        return options;
    }

    public string Help()
    {
        var text = new StringBuilder($"Usage: {program} [options]\nEach option can also be set with its environment variable; flags win.\n\n");
        foreach (OptionSpec<TOptions> spec in Specs)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {spec.Flag,-28} {spec.EnvironmentVariable,-34} default: {spec.Default} ({spec.Unit})\n      {spec.Meaning}\n");
        }

        return text.ToString();
    }
}
