using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Grains.Stamping;

public sealed class StampScannerTests
{
    const string Hash = "41f8394111eb713a22165c46c90ab8f0fd9399c92028fd6d288944b23ff5bf76";

    [Fact]
    public void Reads_every_field_of_a_lightweight_stamp()
    {
        var stamp = Assert.Single(StampScanner.Lightweight(Samples.LightweightLine(Hash) + ",author=alice,v=3\ncode"));
        Assert.Equal(StampType.Lightweight, stamp.Form);
        Assert.Equal("0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e", stamp.Uid);
        Assert.Equal(Hash, stamp.Hash);
        Assert.Equal("2026-11-27T10:00:00.000Z", stamp.Timestamp);
        Assert.Equal("alice", stamp.Fields["author"]);
        Assert.Equal("3", stamp.Fields["v"]);
        Assert.Empty(stamp.ParseProblems);
        Assert.True(stamp.Binds(Hash));
    }

    [Fact]
    public void Reads_a_rich_block_with_the_top_level_hash_as_the_stamp_hash()
    {
        var record = Samples.Record(Hash, filePath: "C:/src/app.py");
        var stamp = Assert.Single(StampScanner.Rich("code\n\n" + StampWriter.Rich(record)));
        Assert.Equal(record.StampId.ToString(), stamp.Uid);
        Assert.Equal(Hash, stamp.Hash);
        Assert.Equal("C:/src/app.py", stamp.Fields["file_path"]);
        Assert.Equal("1.0", stamp.Fields["protocol_version"]);
        Assert.True(stamp.HasIntegrity);
        Assert.Equal("BLAKE3", stamp.IntegrityAlgorithm);
        Assert.Equal(Hash, stamp.IntegrityHash);
        Assert.Empty(stamp.ParseProblems);
    }

    [Fact]
    public void An_upper_case_hash_never_binds()
    {
        var stamp = Assert.Single(StampScanner.Lightweight(Samples.LightweightLine(Hash.ToUpperInvariant())));
        Assert.False(stamp.Binds(Hash));
    }

    [Fact]
    public void A_rich_block_whose_integrity_hash_differs_does_not_bind()
    {
        var block = StampWriter.Rich(Samples.Record(Hash)).Replace("    hash: " + Hash, "    hash: " + new string('0', 64), StringComparison.Ordinal);
        var stamp = Assert.Single(StampScanner.Rich(block));
        Assert.Equal(Hash, stamp.Hash);
        Assert.False(stamp.Binds(Hash));
    }

    [Fact]
    public void A_rich_block_without_a_hash_is_found_and_binds_nothing()
    {
        var stamp = Assert.Single(StampScanner.Rich("<!-- ONEX_METADATA_START -->\nuid: x\nnonsense line\n<!-- ONEX_METADATA_END -->"));
        Assert.Null(stamp.Hash);
        Assert.False(stamp.Binds(Hash));
        Assert.Contains(stamp.ParseProblems, p => p.Contains("nonsense line", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("# ONEX:uid=,hash=abc,ts=2026Z")]                 // empty uid
    [InlineData("# ONEX:uid=a b,hash=abc,ts=2026Z")]              // space in uid
    [InlineData("# ONEX:hash=abc,uid=a,ts=2026Z")]                // fields out of order
    [InlineData(" # ONEX:uid=a,hash=abc,ts=2026Z")]               // not at the start of the line
    [InlineData("<!-- ONEX_METADATA_START --> never closed")]
    public void Malformed_stamps_are_not_stamps(string text)
    {
        Assert.Empty(StampScanner.Lightweight(text));
        Assert.Empty(StampScanner.Rich(text));
    }

    [Fact]
    public void Stray_text_after_a_lightweight_timestamp_is_reported_not_ignored()
    {
        var stamp = Assert.Single(StampScanner.Lightweight(Samples.LightweightLine(Hash) + "junk"));
        Assert.NotEmpty(stamp.ParseProblems);
        Assert.True(stamp.Binds(Hash));   // the hash still binds; strict validation reports the stray text
    }
}
