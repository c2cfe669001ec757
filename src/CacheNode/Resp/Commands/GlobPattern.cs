namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>
/// Redis's glob matching for SCAN MATCH: <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[^a]</c>,
/// <c>[a-z]</c> and <c>\</c> escapes, over bytes.
/// </summary>
internal static class GlobPattern
{
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text)
    {
        // Iterative matching with one backtrack point for the last '*': linear in practice and
        // never recursive, so a hostile pattern cannot exhaust the stack.
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == (byte)'*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && MatchOne(pattern, ref p, text[t]))
            {
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == (byte)'*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Matches one pattern element at <paramref name="p"/> against <paramref name="c"/>, advancing past it on success.</summary>
    private static bool MatchOne(ReadOnlySpan<byte> pattern, ref int p, byte c)
    {
        byte head = pattern[p];
        if (head == (byte)'?')
        {
            p++;
            return true;
        }

        if (head == (byte)'\\' && p + 1 < pattern.Length)
        {
            bool escaped = pattern[p + 1] == c;
            p += escaped ? 2 : 0;
            return escaped;
        }

        if (head != (byte)'[')
        {
            bool same = head == c;
            p += same ? 1 : 0;
            return same;
        }

        int i = p + 1;
        bool negate = i < pattern.Length && pattern[i] == (byte)'^';
        i += negate ? 1 : 0;
        bool matched = false;
        for (; i < pattern.Length && pattern[i] != (byte)']'; i++)
        {
            if (pattern[i] == (byte)'\\' && i + 1 < pattern.Length)
            {
                matched |= pattern[++i] == c;
            }
            else if (i + 2 < pattern.Length && pattern[i + 1] == (byte)'-' && pattern[i + 2] != (byte)']')
            {
                byte low = Math.Min(pattern[i], pattern[i + 2]), high = Math.Max(pattern[i], pattern[i + 2]);
                matched |= c >= low && c <= high;
                i += 2;
            }
            else
            {
                matched |= pattern[i] == c;
            }
        }

        if (matched == negate)
        {
            return false;
        }

        p = Math.Min(i + 1, pattern.Length);
        return true;
    }
}
