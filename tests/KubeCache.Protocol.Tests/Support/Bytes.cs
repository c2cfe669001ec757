using System.Buffers;
using System.Text;

namespace KubeCache.Protocol.Tests.Support;

internal static class Bytes
{
    /// <summary>The string's characters as bytes (Latin-1), so "\xff" is one byte 0xFF.</summary>
    public static byte[] Of(string text) => Encoding.Latin1.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    public static string Text(ReadOnlySequence<byte> bytes) => Encoding.Latin1.GetString(bytes.ToArray());

    /// <summary>What <paramref name="write"/> puts into a fresh buffer writer, as text.</summary>
    public static string Written(Action<ArrayBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return Text(writer.WrittenSpan);
    }

    /// <summary>Arguments of <paramref name="command"/> as text.</summary>
    public static string[] Arguments(RespCommand command)
    {
        var result = new string[command.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Text(command[i]);
        }

        return result;
    }
}
