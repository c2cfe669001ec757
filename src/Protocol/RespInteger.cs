namespace KubeCache.Protocol;

/// <summary>Strict integer parsing with Redis's <c>string2ll</c> rules.</summary>
public static class RespInteger
{
    /// <summary>Longest text of a 64-bit integer, in bytes: <c>-9223372036854775808</c>.</summary>
    public const int MaxLength = 20;

    /// <summary>
    /// Parses ASCII decimal text as a signed 64-bit integer the way Redis does: an optional
    /// leading <c>-</c> then digits only; no <c>+</c>, no spaces, no leading zeros other than
    /// <c>"0"</c> itself (so <c>"-0"</c> is rejected); overflow returns false.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > MaxLength)
        {
            return false;
        }

        if (text is [(byte)'0'])
        {
            return true;
        }

        bool negative = text[0] == (byte)'-';
        ReadOnlySpan<byte> digits = negative ? text[1..] : text;
        if (digits.IsEmpty || digits.Length > MaxLength - 1 || digits[0] is < (byte)'1' or > (byte)'9')
        {
            return false;
        }

        // Nineteen digits always fit in a ulong, so only the final range check can overflow.
        ulong magnitude = 0;
        foreach (byte b in digits)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            magnitude = (magnitude * 10) + digit;
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            value = (long)(0 - magnitude);
            return true;
        }

        if (magnitude > long.MaxValue)
        {
            return false;
        }

        value = (long)magnitude;
        return true;
    }
}
