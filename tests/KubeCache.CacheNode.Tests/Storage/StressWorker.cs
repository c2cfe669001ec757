using System.Collections.Concurrent;
using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>The three kinds of key the stress test uses; each kind is only ever written one way.</summary>
internal enum StressKind
{
    Blob,
    Counter,
    Log,
}

/// <summary>
/// A fixed set of keys per <see cref="StressKind"/> and the check each kind's values must pass.
/// Key bytes name the kind and id, so a value can be checked against the key it was read from.
/// </summary>
internal sealed class StressKeySet(int keysPerKind)
{
    private readonly byte[][][] _keys = Enum.GetValues<StressKind>()
        .Select(kind => Enumerable.Range(0, keysPerKind).Select(id => StoreTestKit.Bytes($"{(char)('a' + (int)kind)}{id}")).ToArray())
        .ToArray();

    public int KeysPerKind => keysPerKind;

    public IEnumerable<byte[]> All => _keys.SelectMany(keys => keys);

    public byte[] Key(StressKind kind, int id) => _keys[(int)kind][id];

    /// <summary>Null when <paramref name="value"/> is a valid value for the key, else what is wrong.</summary>
    public static string? Check(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var kind = (StressKind)(key[0] - 'a');
        int id = int.Parse(key[1..], provider: System.Globalization.CultureInfo.InvariantCulture);
        return kind switch
        {
            StressKind.Blob => SelfVerifyingValues.CheckBlob(id, value),
            StressKind.Counter => SelfVerifyingValues.CheckCounter(id, value),
            _ => SelfVerifyingValues.CheckRecords(id, value),
        };
    }
}

/// <summary>One stress thread: a random mix of every store operation on the shared keys, checking every value it sees.</summary>
internal sealed class StressWorker(CacheStore store, StressKeySet keys, int seed, ConcurrentQueue<string> failures)
{
    private readonly Random _random = new(seed);
    private readonly List<byte[]> _scanned = [];
    private uint _version;
    private ulong _scanCursor;

    public long Operations { get; private set; }

    public void Run(TimeSpan duration, long maxOperations)
    {
        DateTime end = DateTime.UtcNow + duration;
        while (Operations < maxOperations && (Operations % 256 != 0 || DateTime.UtcNow < end))
        {
            Step();
            Operations++;
        }
    }

    private void Step()
    {
        var kind = (StressKind)_random.Next(3);
        byte[] key = keys.Key(kind, _random.Next(keys.KeysPerKind));
        int dice = _random.Next(100);
        switch (dice)
        {
            case < 30:
                ExpectValue(store.Get(key, out ReadOnlyMemory<byte> value), key, value);
                break;
            case < 50:
                SetBlob(keys.Key(StressKind.Blob, _random.Next(keys.KeysPerKind)));
                break;
            case < 58:
                ExpectValue(store.Delete(key, out ReadOnlyMemory<byte> deleted), key, deleted);
                break;
            case < 64:
                Expect(store.SetExpiry(key, RandomExpiry()), StoreStatus.Ok, StoreStatus.NotFound);
                break;
            case < 66:
                Expect(store.Persist(key), StoreStatus.Ok, StoreStatus.NotSet, StoreStatus.NotFound);
                break;
            case < 76:
                Increment(keys.Key(StressKind.Counter, _random.Next(keys.KeysPerKind)));
                break;
            case < 86:
                AppendRecord(_random.Next(keys.KeysPerKind));
                break;
            case < 92:
                ExpectValue(store.GetAndSetExpiry(key, RandomExpiry(), out ReadOnlyMemory<byte> read), key, read);
                break;
            case < 96:
                store.Exists(key);
                Expect(store.TimeToLive(key, out _), StoreStatus.Ok, StoreStatus.NotFound);
                break;
            default:
                ScanStep();
                break;
        }
    }

    private void SetBlob(byte[] key)
    {
        int id = int.Parse(key.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture);
        byte[] value = SelfVerifyingValues.Blob(id, ++_version, _random.Next(store.Options.MaxValueBytes - SelfVerifyingValues.BlobHeaderBytes));
        Expiry expiry = _random.Next(10) switch
        {
            < 3 => Expiry.After(_random.Next(1, 6)),
            3 => Expiry.At(1),
            4 => Expiry.Keep,
            _ => Expiry.Default,
        };
        var condition = (SetCondition)_random.Next(3);
        StoreStatus status = store.Set(key, value, expiry, condition, out ReadOnlyMemory<byte>? previous);
        Expect(status, StoreStatus.Ok, StoreStatus.NotSet);
        if (previous is { } replaced)
        {
            CheckValue(key, replaced);
        }
    }

    private void Increment(byte[] key)
    {
        StoreStatus status = store.IncrementBy(key, _random.Next(1, 10), out long result);
        Expect(status, StoreStatus.Ok);
        if (status == StoreStatus.Ok && result <= 0)
        {
            failures.Enqueue($"IncrementBy returned {result}");
        }
    }

    private void AppendRecord(int id)
    {
        byte[] key = keys.Key(StressKind.Log, id);
        StoreStatus status = store.Append(key, SelfVerifyingValues.Record(id, ++_version), out long length);
        Expect(status, StoreStatus.Ok, StoreStatus.ValueTooLarge);
        if (status == StoreStatus.ValueTooLarge)
        {
            store.Delete(key);
        }
        else if (length % SelfVerifyingValues.RecordBytes != 0)
        {
            failures.Enqueue($"Append returned length {length}");
        }
    }

    private void ScanStep()
    {
        _scanned.Clear();
        _scanCursor = store.Scan(_scanCursor, _random.Next(1, 8), _scanned);
        foreach (byte[] key in _scanned)
        {
            if (key.Length < 2 || key[0] is < (byte)'a' or > (byte)'c')
            {
                failures.Enqueue($"SCAN returned a key that was never written ({key.Length} bytes)");
            }
        }
    }

    private Expiry RandomExpiry() => _random.Next(4) switch
    {
        0 => Expiry.Never,
        1 => Expiry.Keep,
        _ => Expiry.After(_random.Next(1, 6)),
    };

    /// <summary>A read: Ok with a valid value, or NotFound.</summary>
    private void ExpectValue(StoreStatus status, byte[] key, ReadOnlyMemory<byte> value)
    {
        Expect(status, StoreStatus.Ok, StoreStatus.NotFound);
        if (status == StoreStatus.Ok)
        {
            CheckValue(key, value);
        }
    }

    private void CheckValue(byte[] key, ReadOnlyMemory<byte> value)
    {
        if (StressKeySet.Check(key, value.Span) is { } problem)
        {
            failures.Enqueue(problem);
        }
    }

    private void Expect(StoreStatus status, params ReadOnlySpan<StoreStatus> allowed)
    {
        foreach (StoreStatus expected in allowed)
        {
            if (status == expected)
            {
                return;
            }
        }

        failures.Enqueue($"unexpected status {status}");
    }
}
