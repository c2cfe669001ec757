using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace KubeCache.Testing;

/// <summary>
/// A real ASP.NET Core app with ASP.NET Core's Redis distributed cache
/// (<c>AddStackExchangeRedisCache</c>, default options but the endpoint), HybridCache over it and
/// session state in it, against a front that speaks RESP. What the library stores is checked over
/// RESP: one hash per entry, its TTL following sliding and absolute expiration.
/// </summary>
public abstract class DistributedCacheContract : IDisposable
{
    private static readonly TimeSpan s_sliding = TimeSpan.FromMinutes(20);

    /// <summary>The RESP endpoint of the front under test.</summary>
    protected abstract IPEndPoint Resp { get; }

    /// <summary>Each test's own key prefix (the cache's InstanceName), so tests on a shared front never meet.</summary>
    private readonly string _instance = Keys.Unique("aspnet") + ":";

    private readonly string _dataProtectionKeys = Directory.CreateTempSubdirectory("kubecache-dataprotection-").FullName;

    [Fact]
    public async Task DistributedCache_SetGetRefreshRemove_EntryIsAHashWhoseTtlSlides()
    {
        await using LoopbackApp app = await StartAppAsync();
        var cache = app.Services.GetRequiredService<IDistributedCache>();
        await using ConnectionMultiplexer redis = await ConnectAsync();
        IDatabase db = redis.GetDatabase();
        string key = Keys.Unique("entry");
        RedisKey stored = _instance + key;

        await cache.SetStringAsync(key, "value", new DistributedCacheEntryOptions { SlidingExpiration = s_sliding });
        Assert.Equal("value", await cache.GetStringAsync(key));
        Assert.Equal(RedisType.Hash, await db.KeyTypeAsync(stored));
        await AssertTtlAsync(db, stored, s_sliding - TimeSpan.FromMinutes(1), s_sliding);

        // As if most of the sliding window had passed: a refresh, and a read, give the entry a whole window again.
        Assert.True(await db.KeyExpireAsync(stored, TimeSpan.FromSeconds(30)));
        await cache.RefreshAsync(key);
        await AssertTtlAsync(db, stored, s_sliding - TimeSpan.FromMinutes(1), s_sliding);
        Assert.True(await db.KeyExpireAsync(stored, TimeSpan.FromSeconds(30)));
        Assert.Equal("value", await cache.GetStringAsync(key));
        await AssertTtlAsync(db, stored, s_sliding - TimeSpan.FromMinutes(1), s_sliding);

        await cache.RemoveAsync(key);
        Assert.False(await db.KeyExistsAsync(stored));
        Assert.Null(await cache.GetAsync(key));
    }

    [Fact]
    public async Task DistributedCache_AbsoluteExpiration_EntryGoneAfterIt()
    {
        await using LoopbackApp app = await StartAppAsync();
        var cache = app.Services.GetRequiredService<IDistributedCache>();
        await using ConnectionMultiplexer redis = await ConnectAsync();
        string key = Keys.Unique("absolute");
        RedisKey stored = _instance + key;

        await cache.SetStringAsync(key, "value", new DistributedCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(2),
            SlidingExpiration = s_sliding,
        });
        await AssertExpiresWithinAsync(redis, stored, TimeSpan.FromSeconds(2));

        // A refresh never moves an entry past its absolute expiration.
        await cache.RefreshAsync(key);
        await AssertExpiresWithinAsync(redis, stored, TimeSpan.FromSeconds(2));
        await Poll.UntilAsync(async () => await cache.GetAsync(key) is null, "the entry to expire");
        Assert.False(await redis.GetDatabase().KeyExistsAsync(stored));
    }

    [Fact]
    public async Task HybridCache_SecondLevelInKubeCache_SharedByAppInstancesUntilRemoved()
    {
        string key = Keys.Unique("hybrid");
        RedisKey stored = _instance + key;
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(10) };
        int created = 0;
        ValueTask<string> Create(CancellationToken _)
        {
            created++;
            return ValueTask.FromResult("made once");
        }

        await using ConnectionMultiplexer redis = await ConnectAsync();
        IDatabase db = redis.GetDatabase();
        await using LoopbackApp first = await StartAppAsync();
        Assert.Equal("made once", await first.Services.GetRequiredService<HybridCache>().GetOrCreateAsync(key, Create, options));
        await Poll.UntilAsync(() => db.KeyExistsAsync(stored), "HybridCache to write its second level");
        await AssertTtlAsync(db, stored, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        // A new instance has an empty first level: the value comes from KubeCache, not the factory.
        await using LoopbackApp second = await StartAppAsync();
        var hybrid = second.Services.GetRequiredService<HybridCache>();
        Assert.Equal("made once", await hybrid.GetOrCreateAsync(key, Create, options));
        Assert.Equal(1, created);

        await hybrid.RemoveAsync(key);
        Assert.False(await db.KeyExistsAsync(stored));
    }

    [Fact]
    public async Task Session_StoredInKubeCache_SurvivesRequestsAndANewAppInstance()
    {
        string cookie;
        await using (LoopbackApp first = await StartAppAsync())
        {
            (int visits, string? issued) = await VisitAsync(first, cookie: null);
            Assert.Equal(1, visits);
            cookie = issued ?? throw new InvalidOperationException("The session middleware set no cookie.");
            Assert.Equal(2, (await VisitAsync(first, cookie)).Visits);
        }

        await using LoopbackApp second = await StartAppAsync();
        Assert.Equal(3, (await VisitAsync(second, cookie)).Visits);

        await using ConnectionMultiplexer redis = await ConnectAsync();
        List<RedisKey> sessions = await redis.GetServer(redis.GetEndPoints()[0]).KeysAsync(pattern: _instance + "*").ToListAsync();
        RedisKey session = Assert.Single(sessions);
        Assert.Equal(RedisType.Hash, await redis.GetDatabase().KeyTypeAsync(session));
        await AssertTtlAsync(redis.GetDatabase(), session, s_sliding - TimeSpan.FromMinutes(1), s_sliding);
    }

    public void Dispose()
    {
        Directory.Delete(_dataProtectionKeys, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static async Task AssertTtlAsync(IDatabase db, RedisKey key, TimeSpan least, TimeSpan most)
    {
        TimeSpan? ttl = await db.KeyTimeToLiveAsync(key);
        Assert.True(ttl >= least && ttl <= most, $"{key} expires in {ttl?.ToString() ?? "never (or is gone)"}, not within {least}..{most}.");
    }

    /// <summary>The key expires within <paramref name="most"/>, or is gone already (a slow machine may take that long between two steps).</summary>
    private static async Task AssertExpiresWithinAsync(ConnectionMultiplexer redis, RedisKey key, TimeSpan most)
    {
        IDatabase db = redis.GetDatabase();
        TimeSpan? ttl = await db.KeyTimeToLiveAsync(key);
        Assert.True(ttl is null ? !await db.KeyExistsAsync(key) : ttl <= most, $"{key} expires in {ttl?.ToString() ?? "never"}, later than {most}.");
    }

    /// <summary>POST /visits: counts the session's requests.</summary>
    private static async Task<(int Visits, string? Cookie)> VisitAsync(LoopbackApp app, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/visits");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using HttpResponseMessage response = await app.Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /visits: {response.StatusCode} {body}");
        string? issued = response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? values)
            ? values.Select(v => v.Split(';')[0]).FirstOrDefault()
            : null;
        return (int.Parse(body, System.Globalization.CultureInfo.InvariantCulture), issued);
    }

    private Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync($"{Resp.Address}:{Resp.Port}");

    /// <summary>
    /// The app: its cache, HybridCache and session over KubeCache, and data-protection keys in a
    /// folder every instance of one test shares (the session cookie is protected with them).
    /// </summary>
    private async Task<LoopbackApp> StartAppAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddStackExchangeRedisCache(options =>
        {
            options.Configuration = $"{Resp.Address}:{Resp.Port}";
            options.InstanceName = _instance;
        });
        builder.Services.AddHybridCache();
        builder.Services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(_dataProtectionKeys))
            .SetApplicationName("kubecache-tests");
        builder.Services.AddSession(options => options.IdleTimeout = s_sliding);

        WebApplication app = builder.Build();
        app.UseSession();
        app.MapPost("/visits", async (HttpContext context) =>
        {
            await context.Session.LoadAsync();
            int visits = (context.Session.GetInt32("visits") ?? 0) + 1;
            context.Session.SetInt32("visits", visits);
            // Committing here turns a failed write into a failed request instead of a log line.
            await context.Session.CommitAsync();
            return visits;
        });
        return await LoopbackApp.StartAsync(app);
    }
}
