namespace KubeCache.Prometheus.Aggregation;

/// <summary>
/// Hashing and comparison of measurement tags without allocating. Instruments carry 0–3 tags,
/// so linear comparison beats anything cleverer; the hash ignores order because callers may
/// pass the same tags in a different order.
/// </summary>
internal static class TagSet
{
    public static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        int hash = tags.Length;
        foreach (var tag in tags)
        {
            hash += HashCode.Combine(tag.Key, tag.Value);
        }

        return hash;
    }

    public static bool Matches(KeyValuePair<string, object?>[] stored, ReadOnlySpan<KeyValuePair<string, object?>> incoming)
    {
        if (stored.Length != incoming.Length)
        {
            return false;
        }

        for (int i = 0; i < incoming.Length; i++)
        {
            // Callers nearly always pass tags in the same order, so try the same position first.
            if (!(TagEquals(stored[i], incoming[i]) || Contains(stored, incoming[i])))
            {
                return false;
            }
        }

        return true;
    }

    public static KeyValuePair<string, object?>[] Copy(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.ToArray();

    private static bool Contains(KeyValuePair<string, object?>[] stored, KeyValuePair<string, object?> tag)
    {
        foreach (var candidate in stored)
        {
            if (TagEquals(candidate, tag))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TagEquals(KeyValuePair<string, object?> a, KeyValuePair<string, object?> b) =>
        string.Equals(a.Key, b.Key, StringComparison.Ordinal) && Equals(a.Value, b.Value);
}
