using KubeCache.FakeApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeCache.FakeApiServer.Http;

/// <summary>Test-injected failures: the next matching requests get the given Status instead of service.</summary>
internal sealed class FailureInjection
{
    private readonly Lock _lock = new();
    private readonly List<Rule> _rules = [];

    public void Add(string? method, string pathContains, ApiException error, int times)
    {
        lock (_lock)
        {
            _rules.Add(new Rule(method, pathContains, error) { Remaining = times });
        }
    }

    /// <summary>The error for this request, consuming one use of the rule, or null.</summary>
    public ApiException? Match(HttpRequest request)
    {
        lock (_lock)
        {
            var path = request.Path.Value + request.QueryString.Value;
            var rule = _rules.FirstOrDefault(r => (r.Method is null || string.Equals(r.Method, request.Method, StringComparison.OrdinalIgnoreCase))
                && path.Contains(r.PathContains, StringComparison.Ordinal));
            if (rule is null)
            {
                return null;
            }
            if (--rule.Remaining <= 0)
            {
                _rules.Remove(rule);
            }
            return rule.Error;
        }
    }

    private sealed record Rule(string? Method, string PathContains, ApiException Error)
    {
        public int Remaining { get; set; }
    }
}
