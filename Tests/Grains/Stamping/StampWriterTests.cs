using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Grains.Stamping;

public sealed class StampWriterTests
{
    const string Hash = "41f8394111eb713a22165c46c90ab8f0fd9399c92028fd6d288944b23ff5bf76";
    static readonly Guid Id = Guid.Parse("01a21cb6-6547-7279-abcb-4c82e13b02e1");

    [Fact]
    public void Writes_the_lightweight_line_with_uid_hash_and_millisecond_UTC_time()
    {
        var record = Samples.Record(Hash, id: Id, createdAt: new DateTime(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc));
        Assert.Equal("# ONEX:uid=01a21cb6-6547-7279-abcb-4c82e13b02e1,hash=" + Hash + ",ts=2026-11-27T10:00:00.000Z", StampWriter.Lightweight(record));
    }

    [Fact]
    public void Writes_the_rich_block_in_the_spec_layout()
    {
        var record = Samples.Record(Hash, id: Id, filePath: "src/app.py", size: 11, contentType: "text/x-python");
        var expected = string.Join('\n',
            "<!-- ONEX_METADATA_START -->",
            "<!-- ONEX Metadata Stamp",
            "  uid: 01a21cb6-6547-7279-abcb-4c82e13b02e1",
            "  hash: " + Hash,
            "  timestamp: 2026-11-27T12:00:00.123Z",
            "  protocol_version: 1.0",
            "  file_path: src/app.py",
            "  file_size: 11",
            "  content_type: text/x-python",
            "  integrity:",
            "    algorithm: BLAKE3",
            "    hash: " + Hash,
            "-->",
            "<!-- ONEX_METADATA_END -->");
        Assert.Equal(expected, StampWriter.Write(record, StampType.Rich));
    }

    [Fact]
    public void The_rich_block_leaves_out_an_unknown_file_path()
    {
        Assert.DoesNotContain("file_path", StampWriter.Rich(Samples.Record(Hash)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_detached_record_is_written_as_its_lightweight_line()
    {
        var record = Samples.Record(Hash, type: StampType.Detached);
        Assert.Equal(StampWriter.Lightweight(record), StampWriter.Write(record, StampType.Detached));
    }
}
