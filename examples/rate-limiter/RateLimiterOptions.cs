using Microsoft.Extensions.Options;

namespace KubeCache.Examples.RateLimiter;

/// <summary>The service's settings: section <c>RateLimiter</c> of appsettings.json, the environment
/// (<c>RateLimiter__FixedWindow__Limit</c>) or the command line (<c>--RateLimiter:FixedWindow:Limit=5</c>).</summary>
public sealed class RateLimiterOptions
{
    public const string Section = "RateLimiter";

    /// <summary>StackExchange.Redis connection string of a KubeCache node, router or Service. Default: <c>localhost:6379</c>.</summary>
    public string Redis { get; set; } = "localhost:6379";

    /// <summary>Request header that names the client; requests without it are counted per remote address. Default: <c>X-Client-Id</c>.</summary>
    public string ClientHeader { get; set; } = "X-Client-Id";

    /// <summary>Longest client id accepted, in characters (it becomes part of a cache key). Default: 128.</summary>
    public int ClientIdMaxLength { get; set; } = 128;

    /// <summary>Limit of <c>GET /fixed</c>.</summary>
    public WindowLimit FixedWindow { get; set; } = new();

    /// <summary>Limit of <c>GET /sliding</c>.</summary>
    public WindowLimit SlidingWindow { get; set; } = new();

    /// <summary>The setting names and what is wrong with them; empty when the options are valid.</summary>
    public IEnumerable<string> Errors()
    {
        if (string.IsNullOrWhiteSpace(Redis))
        {
            yield return $"{Section}:Redis must name a KubeCache endpoint (host:port).";
        }

        if (string.IsNullOrWhiteSpace(ClientHeader))
        {
            yield return $"{Section}:ClientHeader must name a request header.";
        }

        if (ClientIdMaxLength < 1)
        {
            yield return $"{Section}:ClientIdMaxLength must be at least 1 (characters).";
        }

        foreach (string error in FixedWindow.Errors($"{Section}:FixedWindow").Concat(SlidingWindow.Errors($"{Section}:SlidingWindow")))
        {
            yield return error;
        }
    }
}

/// <summary>At most <see cref="Limit"/> requests per client in <see cref="WindowSeconds"/>.</summary>
public sealed class WindowLimit
{
    /// <summary>Requests allowed per window. Default: 10.</summary>
    public int Limit { get; set; } = 10;

    /// <summary>Window length, in seconds. Default: 60.</summary>
    public int WindowSeconds { get; set; } = 60;

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);

    internal IEnumerable<string> Errors(string section)
    {
        if (Limit < 1)
        {
            yield return $"{section}:Limit must be at least 1 (requests).";
        }

        if (WindowSeconds < 1)
        {
            yield return $"{section}:WindowSeconds must be at least 1 (seconds).";
        }
    }
}

/// <summary>Refuses to start with settings <see cref="RateLimiterOptions.Errors"/> objects to.</summary>
internal sealed class RateLimiterOptionsValidator : IValidateOptions<RateLimiterOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimiterOptions options)
    {
        string[] errors = [.. options.Errors()];
        return errors.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
