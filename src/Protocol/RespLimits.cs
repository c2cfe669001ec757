namespace KubeCache.Protocol;

/// <summary>
/// Bounds on what a peer may ask the readers to buffer. Every limit is checked when a header
/// arrives, before the bytes it announces, so no peer can make a reader allocate without bound.
/// </summary>
public sealed class RespLimits
{
    /// <summary>Default <see cref="MaxBulkBytes"/>: 512 MiB, Redis's <c>proto-max-bulk-len</c> default.</summary>
    public const int DefaultMaxBulkBytes = 512 * 1024 * 1024;

    /// <summary>
    /// Default <see cref="MaxArrayLength"/>: 1,048,576 elements, more than any real command sends
    /// (an MSET of half a million pairs) while keeping per-argument bookkeeping bounded.
    /// </summary>
    public const int DefaultMaxArrayLength = 1024 * 1024;

    /// <summary>Default <see cref="MaxInlineBytes"/>: 64 KiB, Redis's <c>PROTO_INLINE_MAX_SIZE</c>.</summary>
    public const int DefaultMaxInlineBytes = 64 * 1024;

    /// <summary>Limits with every default; shared, since instances are immutable.</summary>
    public static RespLimits Default { get; } = new();

    /// <summary>
    /// Largest bulk string, in bytes; a larger <c>$</c> header is a protocol error.
    /// Default 512 MiB. Must be between 1 and <see cref="Array.MaxLength"/>, because a bulk
    /// that arrives in several segments is copied into one array.
    /// </summary>
    public int MaxBulkBytes
    {
        get;
        init => field = Validate(value, Array.MaxLength, nameof(MaxBulkBytes));
    } = DefaultMaxBulkBytes;

    /// <summary>
    /// Largest number of elements in an array (arguments of a command); a larger <c>*</c>
    /// header is a protocol error. Default 1,048,576. Must be at least 1.
    /// </summary>
    public int MaxArrayLength
    {
        get;
        init => field = Validate(value, int.MaxValue, nameof(MaxArrayLength));
    } = DefaultMaxArrayLength;

    /// <summary>
    /// Longest line, in bytes without its line ending, for inline commands and for simple
    /// string, error and integer replies. Default 64 KiB. Must be at least 1.
    /// </summary>
    public int MaxInlineBytes
    {
        get;
        init => field = Validate(value, Array.MaxLength, nameof(MaxInlineBytes));
    } = DefaultMaxInlineBytes;

    private static int Validate(int value, int max, string name)
    {
        if (value < 1 || value > max)
        {
            ThrowHelper.ThrowArgumentOutOfRange(name, $"{name} must be between 1 and {max}; got {value}.");
        }

        return value;
    }
}
