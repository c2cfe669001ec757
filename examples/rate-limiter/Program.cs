using KubeCache.Examples.RateLimiter;

await RateLimiterApp.Build(args).RunAsync();
