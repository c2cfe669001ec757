using System.Net;
using System.Net.Http.Json;

namespace KubeCache.Testing.Load;

/// <summary>
/// The Locust test of the assignment, as a C# client: a number of users with no wait
/// between requests, each sending <c>POST /put</c> and <c>GET /get</c> half the time each. Every
/// reply other than 200 is a failure (run the server with <c>--miss-status 200</c>, as the
/// assignment's clients expect a miss to be).
/// </summary>
public static class HttpLoad
{
    /// <summary>Runs the profile against <paramref name="server"/> until <paramref name="stop"/> fires.</summary>
    public static async Task RunAsync(Uri server, LoadProfile profile, int users, LoadTally tally, CancellationToken stop)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = users, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        await Task.WhenAll(Enumerable.Range(0, users).Select(user => UserAsync(http, profile, new Random(user), tally, stop)));
    }

    private static async Task UserAsync(HttpClient http, LoadProfile profile, Random random, LoadTally tally, CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            string key = profile.RandomKey(random);
            bool put = random.Next(2) == 0;
            try
            {
                using HttpResponseMessage response = put
                    ? await http.PostAsJsonAsync("/put", new { key, value = profile.RandomValue(random) }, CancellationToken.None)
                    : await http.GetAsync(new Uri("/get?key=" + key, UriKind.Relative), CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    tally.Succeeded();
                }
                else
                {
                    string body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    tally.Failed($"{(put ? "POST /put" : "GET /get")}: {(int)response.StatusCode} {body}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                tally.Failed($"{(put ? "POST /put" : "GET /get")}: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
