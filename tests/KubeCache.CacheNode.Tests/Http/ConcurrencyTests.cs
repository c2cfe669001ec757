using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>Many clients at once on distinct keys each read back exactly what they wrote.</summary>
public sealed class ConcurrencyTests
{
    private const int Clients = 8;
    private const int PairsPerClient = 500;

    [Fact]
    public async Task PutGet_EightClientsInParallel_EachReadsBackItsOwnValues()
    {
        await using TestNode node = await TestNode.StartAsync();

        int[] succeeded = await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(() => RunClientAsync(node, client))));

        Assert.All(succeeded, count => Assert.Equal(PairsPerClient, count));
        Assert.Equal(Clients * PairsPerClient, node.Server.Store.Count);
    }

    [Fact]
    public async Task PutGet_EightClientsOnSharedKeys_ReadOnlyValuesSomeoneWrote()
    {
        await using TestNode node = await TestNode.StartAsync();
        string[] keys = [.. Enumerable.Range(0, 16).Select(i => "shared-" + i)];

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                string key = keys[(client + i) % keys.Length];
                string value = $"{key}|{client}|{i}|" + new string((char)('a' + client), 100 + i);
                (await node.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);
                string read = await node.GetValueAsync(key);
                string[] parts = read.Split('|');
                Assert.Equal(key, parts[0]);
                Assert.Equal(new string((char)('a' + int.Parse(parts[1], CultureInfo.InvariantCulture)), 100 + int.Parse(parts[2], CultureInfo.InvariantCulture)), parts[3]);
            }
        })));
    }

    /// <summary>Runs one client's put/get pairs on its own connection; returns how many read back their value.</summary>
    private static async Task<int> RunClientAsync(TestNode node, int client)
    {
        using var http = new HttpClient { BaseAddress = node.Client.BaseAddress };
        int matched = 0;
        for (int i = 0; i < PairsPerClient; i++)
        {
            string key = $"client-{client}-key-{i}-{Guid.NewGuid()}";
            string value = $"value of {key} " + new string((char)('!' + ((client * 7 + i) % 90)), i % 256);
            using var put = new ByteArrayContent(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { key, value })));
            using HttpResponseMessage putResponse = await http.PostAsync("/put", put);
            Assert.Equal(Reply.PutOk, await putResponse.Content.ReadAsStringAsync());

            using HttpResponseMessage getResponse = await http.GetAsync("/get?key=" + Uri.EscapeDataString(key));
            Assert.Equal(HttpStatusCode.OK, getResponse.StatusCode);
            using var json = JsonDocument.Parse(await getResponse.Content.ReadAsStringAsync());
            if (json.RootElement.GetProperty("key").GetString() == key && json.RootElement.GetProperty("value").GetString() == value)
            {
                matched++;
            }
        }

        return matched;
    }
}
