using System.Buffers;
using System.Diagnostics;
using KubeCache.HttpContract;

namespace KubeCache.ClientContract.Http;

/// <summary>
/// The key API's hot requests served straight from a connection: <see cref="KeyEndpoints"/>
/// decides the reply, <see cref="HttpEndpointTable"/> words failures and counts the request under
/// its endpoint, exactly as for a request that comes through Kestrel.
/// </summary>
/// <param name="endpoints">The process's key endpoints.</param>
/// <param name="table">The process's endpoint table, for failures and metrics.</param>
/// <param name="answersAtOnce">See <see cref="IHotKeyRequests.AnswersAtOnce"/>.</param>
public sealed class HotKeyRequests(KeyEndpoints endpoints, HttpEndpointTable table, bool answersAtOnce) : IHotKeyRequests
{
    public bool AnswersAtOnce => answersAtOnce;

    public async ValueTask<HttpReply> GetAsync(string query, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        HttpReply reply;
        try
        {
            reply = await endpoints.GetAsync(QueryParameters.Get(query, "key"), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reply = table.Failure(e, "get");
        }

        table.Record("/get", reply.Status, started);
        return reply;
    }

    public async ValueTask<HttpReply> PutAsync(ReadOnlySequence<byte> body, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        HttpReply reply;
        try
        {
            reply = await endpoints.PutAsync(JsonRequest.ReadItem(body), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reply = table.Failure(e, "put");
        }

        table.Record("/put", reply.Status, started);
        return reply;
    }
}
