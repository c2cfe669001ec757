using System.Collections.Concurrent;

namespace KubeCache.Testing.Load;

/// <summary>
/// What a load run saw: requests answered, and failures, each kept with its message (the first
/// few of each kind). Failures while <see cref="OutageOpen"/> is set (a node the run killed on
/// purpose is down) are counted apart, as the unavailability the run caused. Thread-safe.
/// </summary>
public sealed class LoadTally
{
    private const int MessagesKept = 20;

    private readonly ConcurrentQueue<string> _messages = new();
    private long _requests;
    private long _errors;
    private long _outageErrors;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Failures outside an outage: each one fails a soak run.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Failures while a node the run killed was down.</summary>
    public long OutageErrors => Interlocked.Read(ref _outageErrors);

    /// <summary>Set while a node the run stopped on purpose is down.</summary>
    public bool OutageOpen { get; set; }

    /// <summary>The first failure messages, for the test's report.</summary>
    public IReadOnlyCollection<string> Messages => _messages;

    public void Succeeded(int requests = 1) => Interlocked.Add(ref _requests, requests);

    public void Failed(string message, int requests = 1)
    {
        Interlocked.Add(ref _requests, requests);
        if (OutageOpen)
        {
            Interlocked.Add(ref _outageErrors, requests);
            return;
        }

        Interlocked.Add(ref _errors, requests);
        if (_messages.Count < MessagesKept)
        {
            _messages.Enqueue(message);
        }
    }
}
