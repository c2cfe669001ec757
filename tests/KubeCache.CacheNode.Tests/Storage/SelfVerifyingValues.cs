using System.Buffers.Binary;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>
/// Values that prove their own integrity, so a concurrent reader can tell a torn value, a value
/// of another key or a truncated one from a good one without knowing which write it sees.
/// </summary>
internal static class SelfVerifyingValues
{
    /// <summary>Blob layout: key id (2 bytes), version (4), total length (2), then fill bytes derived from all three.</summary>
    public const int BlobHeaderBytes = 8;

    /// <summary>Append record: key id (2 bytes), sequence (4), check word (2).</summary>
    public const int RecordBytes = 8;

    public static byte[] Blob(int keyId, uint version, int fillLength)
    {
        byte[] value = new byte[BlobHeaderBytes + fillLength];
        BinaryPrimitives.WriteUInt16LittleEndian(value, (ushort)keyId);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(2), version);
        BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(6), (ushort)value.Length);
        for (int i = 0; i < fillLength; i++)
        {
            value[BlobHeaderBytes + i] = FillByte(keyId, version, i);
        }

        return value;
    }

    /// <summary>Null when <paramref name="value"/> is an intact blob of key <paramref name="keyId"/>, else what is wrong.</summary>
    public static string? CheckBlob(int keyId, ReadOnlySpan<byte> value)
    {
        if (value.Length < BlobHeaderBytes)
        {
            return $"blob of key {keyId} is {value.Length} bytes, shorter than its header";
        }

        int owner = BinaryPrimitives.ReadUInt16LittleEndian(value);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(value[2..]);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(value[6..]);
        if (owner != keyId || length != value.Length)
        {
            return $"blob of key {keyId} claims key {owner} and length {length} but is {value.Length} bytes";
        }

        for (int i = BlobHeaderBytes; i < value.Length; i++)
        {
            if (value[i] != FillByte(keyId, version, i - BlobHeaderBytes))
            {
                return $"blob of key {keyId} version {version} is torn at byte {i}";
            }
        }

        return null;
    }

    public static byte[] Record(int keyId, uint sequence)
    {
        byte[] record = new byte[RecordBytes];
        BinaryPrimitives.WriteUInt16LittleEndian(record, (ushort)keyId);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(6), CheckWord(keyId, sequence));
        return record;
    }

    /// <summary>Null when <paramref name="value"/> is a whole number of intact records of key <paramref name="keyId"/>.</summary>
    public static string? CheckRecords(int keyId, ReadOnlySpan<byte> value)
    {
        if (value.Length % RecordBytes != 0)
        {
            return $"log of key {keyId} is {value.Length} bytes, not whole records";
        }

        for (int at = 0; at < value.Length; at += RecordBytes)
        {
            ReadOnlySpan<byte> record = value.Slice(at, RecordBytes);
            int owner = BinaryPrimitives.ReadUInt16LittleEndian(record);
            uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(record[2..]);
            if (owner != keyId || BinaryPrimitives.ReadUInt16LittleEndian(record[6..]) != CheckWord(keyId, sequence))
            {
                return $"log of key {keyId} has a bad record at byte {at} (claims key {owner})";
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="value"/> is a positive integer, as only positive increments are made.</summary>
    public static string? CheckCounter(int keyId, ReadOnlySpan<byte> value) =>
        RespInteger.TryParse(value, out long number) && number > 0 ? null : $"counter of key {keyId} holds {value.Length} bytes that are not a positive integer";

    private static byte FillByte(int keyId, uint version, int index) => (byte)((keyId * 131) ^ (version * 31) ^ (uint)(index * 7) ^ (uint)(index >> 8));

    private static ushort CheckWord(int keyId, uint sequence) => (ushort)((sequence * 2654435761u >> 16) ^ (uint)(keyId * 40503));
}
