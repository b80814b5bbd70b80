using System.Globalization;
using System.Text.Unicode;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;

namespace OmniBridge.Grains.Transparency;

/// <summary>The bytes of a record's leaf (docs/transparency.md, "Leaves"): seven lines of UTF-8, each ending in a line feed.</summary>
public static class LogLeaf
{
    public const string Version = "omnibridge-leaf/v1";

    public static byte[] Of(StampRecord record) => Of(LeafFields.Of(record));

    /// <summary>Written straight as UTF-8 (a leaf is about 300 bytes; a namespace name is at most 255 ASCII characters).</summary>
    public static byte[] Of(LeafFields record)
    {
        Span<byte> buffer = stackalloc byte[2048];
        if (Utf8.TryWrite(buffer, CultureInfo.InvariantCulture,
                $"{Version}\nnamespace {record.Namespace}\nblake3 {record.FileHash}\nsha256 {record.Sha256}\nsize {record.FileSize}\nstamp {record.StampId:D}\ntime ", out var length)
            && StampTimestamp.TryFormat(record.CreatedAt, buffer[length..], out var time)
            && length + time < buffer.Length)
        {
            buffer[length + time] = (byte)'\n';
            return buffer[..(length + time + 1)].ToArray();
        }
        throw new InvalidOperationException($"the leaf of stamp {record.StampId} is longer than {buffer.Length} bytes");
    }
}
