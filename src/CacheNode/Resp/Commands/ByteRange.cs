namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>Redis's rule for inclusive start/end offsets (GETRANGE, BITCOUNT, BITPOS): negative ones count from the end, then both are clamped.</summary>
internal static class ByteRange
{
    /// <summary>
    /// Turns <paramref name="start"/> and <paramref name="end"/> into offsets within
    /// <paramref name="length"/>; false when the range is empty. GETRANGE and BITCOUNT answer
    /// empty for two negative offsets in reverse order even where clamping would leave offset 0,
    /// and BITPOS does not (<paramref name="emptyWhenBothNegativeAndReversed"/>), as in Redis.
    /// </summary>
    public static bool TryClamp(long start, long end, long length, bool emptyWhenBothNegativeAndReversed, out long from, out long to)
    {
        from = to = 0;
        if (emptyWhenBothNegativeAndReversed && start < 0 && end < 0 && start > end)
        {
            return false;
        }

        start = Math.Max(start < 0 ? length + start : start, 0);
        end = Math.Max(end < 0 ? length + end : end, 0);
        end = Math.Min(end, length - 1);
        if (start > end || length == 0)
        {
            return false;
        }

        (from, to) = (start, end);
        return true;
    }
}
