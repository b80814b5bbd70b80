using System.Globalization;
using System.Text;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Stamping;

/// <summary>Writes stamps in the forms of docs/protocol.md, "Stamp forms", always from a record: its uid, hash and creation time.</summary>
public static class StampWriter
{
    /// <summary>The stamp text of <paramref name="record"/> in <paramref name="form"/> (detached is the lightweight line).</summary>
    public static string Write(StampRecord record, StampType form) =>
        form == StampType.Rich ? Rich(record) : Lightweight(record);

    /// <summary><c># ONEX:uid=&lt;uuid&gt;,hash=&lt;hex&gt;,ts=&lt;UTC&gt;</c></summary>
    public static string Lightweight(StampRecord record) =>
        $"# ONEX:uid={record.StampId:D},hash={record.FileHash},ts={StampTimestamp.Format(record.CreatedAt)}";

    /// <summary>The rich block; file path, size and content type only when known.</summary>
    public static string Rich(StampRecord record)
    {
        var block = new StringBuilder(512)
            .Append("<!-- ONEX_METADATA_START -->\n")
            .Append("<!-- ONEX Metadata Stamp\n")
            .Append("  uid: ").Append(record.StampId.ToString("D")).Append('\n')
            .Append("  hash: ").Append(record.FileHash).Append('\n')
            .Append("  timestamp: ").Append(StampTimestamp.Format(record.CreatedAt)).Append('\n')
            .Append("  protocol_version: ").Append(record.ProtocolVersion).Append('\n');
        if (record.FilePath is { } path) block.Append("  file_path: ").Append(path).Append('\n');
        block.Append("  file_size: ").Append(record.FileSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        block.Append("  content_type: ").Append(record.ContentType).Append('\n');
        return block
            .Append("  integrity:\n")
            .Append("    algorithm: BLAKE3\n")
            .Append("    hash: ").Append(record.FileHash).Append('\n')
            .Append("-->\n")
            .Append("<!-- ONEX_METADATA_END -->")
            .ToString();
    }
}
