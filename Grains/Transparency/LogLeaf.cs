using System.Globalization;
using System.Text;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Transparency;

/// <summary>The bytes of a record's leaf (docs/transparency.md, "Leaves"): seven lines of UTF-8, each ending in a line feed.</summary>
public static class LogLeaf
{
    public const string Version = "omnibridge-leaf/v1";

    public static byte[] Of(StampRecord record) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"""
        {Version}
        namespace {record.Namespace}
        blake3 {record.FileHash}
        sha256 {record.Sha256}
        size {record.FileSize}
        stamp {record.StampId:D}
        time {StampRecordJson.Timestamp(record.CreatedAt)}

        """).Replace("\r\n", "\n", StringComparison.Ordinal));
}
