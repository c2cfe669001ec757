namespace KubeCache.Fuzz.Tests.Fuzzing;

/// <summary>
/// Shrinks a failing input while it still fails the same way: removes ever smaller chunks
/// (delta debugging), then replaces bytes with a plain <c>a</c> where that changes nothing.
/// Bounded by a number of attempts, so minimising a slow target still ends.
/// </summary>
public static class Minimizer
{
    public static byte[] Minimize(byte[] input, Func<byte[], bool> stillFails, int maxAttempts) =>
        MinimizeAsync(input, candidate => Task.FromResult(stillFails(candidate)), maxAttempts).GetAwaiter().GetResult();

    public static async Task<byte[]> MinimizeAsync(byte[] input, Func<byte[], Task<bool>> stillFails, int maxAttempts)
    {
        byte[] best = input;
        int attempts = 0;
        for (int chunk = Math.Max(1, best.Length / 2); chunk >= 1 && attempts < maxAttempts; chunk /= 2)
        {
            for (int start = 0; start < best.Length && attempts < maxAttempts;)
            {
                byte[] candidate = [.. best.AsSpan(0, start), .. best.AsSpan(Math.Min(best.Length, start + chunk))];
                attempts++;
                if (await stillFails(candidate).ConfigureAwait(false))
                {
                    best = candidate;
                }
                else
                {
                    start += chunk;
                }
            }
        }

        for (int i = 0; i < best.Length && attempts < maxAttempts; i++)
        {
            if (best[i] == (byte)'a')
            {
                continue;
            }

            byte[] candidate = [.. best];
            candidate[i] = (byte)'a';
            attempts++;
            if (await stillFails(candidate).ConfigureAwait(false))
            {
                best = candidate;
            }
        }

        return best;
    }
}
