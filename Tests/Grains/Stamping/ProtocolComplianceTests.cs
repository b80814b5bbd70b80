using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Grains.Stamping;

public sealed class ProtocolComplianceTests
{
    const string Code = "fn main() {}\n";
    static readonly string Hash = CanonicalContent.HashOf(Code);

    [Fact]
    public void Content_without_a_stamp_has_no_compliance()
    {
        var report = ProtocolCompliance.Check(Code, ProtocolValidationLevel.Basic);
        Assert.Equal(ComplianceLevel.None, report.ComplianceLevel);
        Assert.False(report.IsValid);
        Assert.NotEmpty(report.Issues);
        Assert.NotEmpty(report.Recommendations);
        Assert.Equal("1.0", report.ProtocolVersion);
    }

    [Theory]
    [InlineData(StampType.Lightweight, ProtocolValidationLevel.Basic)]
    [InlineData(StampType.Lightweight, ProtocolValidationLevel.Strict)]
    [InlineData(StampType.Rich, ProtocolValidationLevel.Basic)]
    [InlineData(StampType.Rich, ProtocolValidationLevel.Strict)]
    public void What_the_service_writes_complies_fully(StampType form, ProtocolValidationLevel level)
    {
        var report = ProtocolCompliance.Check(Samples.Stamp(Code, form), level);
        Assert.Equal(ComplianceLevel.Full, report.ComplianceLevel);
        Assert.True(report.IsValid);
        Assert.Empty(report.Issues);
    }

    [Fact]
    public void A_stale_stamp_fails_even_basic_validation()
    {
        var report = ProtocolCompliance.Check(Samples.Stamp(Code).Replace("main", "other", StringComparison.Ordinal), ProtocolValidationLevel.Basic);
        Assert.Equal(ComplianceLevel.None, report.ComplianceLevel);
        Assert.Contains(report.Issues, i => i.Contains("does not match", StringComparison.Ordinal));
    }

    [Fact]
    public void A_non_uuid_uid_passes_basic_and_fails_strict()
    {
        var text = Samples.LightweightLine(Hash, uid: "not-a-uuid") + "\n" + Code;
        Assert.Equal(ComplianceLevel.Full, ProtocolCompliance.Check(text, ProtocolValidationLevel.Basic).ComplianceLevel);
        var strict = ProtocolCompliance.Check(text, ProtocolValidationLevel.Strict);
        Assert.Equal(ComplianceLevel.None, strict.ComplianceLevel);
        Assert.Contains(strict.Issues, i => i.Contains("not a UUID", StringComparison.Ordinal));
    }

    [Fact]
    public void One_good_stamp_and_one_bad_is_partial()
    {
        var text = Samples.LightweightLine(Hash, ts: "2026-11-27T10:00:00+02:00") + "\n" + Samples.Stamp(Code, StampType.Rich);
        var report = ProtocolCompliance.Check(text, ProtocolValidationLevel.Strict);
        Assert.Equal(ComplianceLevel.Partial, report.ComplianceLevel);
        Assert.False(report.IsValid);
        Assert.Single(report.Issues);
    }

    [Fact]
    public void The_originals_rich_block_with_file_path_None_is_well_formed()
    {
        var block = string.Join('\n',
            "<!-- ONEX_METADATA_START -->", "<!-- ONEX Metadata Stamp",
            "  uid: 6f1c7a52-9b1e-4f0e-8d3a-2b4c6d8e0f1a", "  hash: " + Hash, "  timestamp: 2025-09-28T10:00:00.123456+00:00",
            "  protocol_version: 1.0", "  file_path: None", "  file_size: 13",
            "  integrity:", "    algorithm: BLAKE3", "    hash: " + Hash, "-->", "<!-- ONEX_METADATA_END -->");
        var report = ProtocolCompliance.Check(Code + "\n\n" + block, ProtocolValidationLevel.Strict);
        Assert.Empty(report.Issues);
        Assert.Equal(ComplianceLevel.Full, report.ComplianceLevel);
    }

    [Theory]
    [InlineData("  protocol_version: 1.0\n", "", "no protocol_version")]
    [InlineData("  protocol_version: 1.0\n", "  protocol_version: 2.0\n", "protocol_version '2.0'")]
    [InlineData("    algorithm: BLAKE3\n", "    algorithm: SHA256\n", "not BLAKE3")]
    [InlineData("  file_size: 13\n", "  file_size: lots\n", "file_size 'lots'")]
    public void Strict_validation_names_each_missing_or_malformed_field(string line, string replacement, string issue)
    {
        var text = Samples.Stamp(Code, StampType.Rich, Samples.Record(Hash, size: 13)).Replace(line, replacement, StringComparison.Ordinal);
        Assert.Empty(ProtocolCompliance.Check(text, ProtocolValidationLevel.Basic).Issues);
        var strict = ProtocolCompliance.Check(text, ProtocolValidationLevel.Strict);
        Assert.Contains(strict.Issues, i => i.Contains(issue, StringComparison.Ordinal));
    }

    [Fact]
    public void An_upper_case_hash_is_an_issue_at_every_level()
    {
        var text = Samples.LightweightLine(Hash.ToUpperInvariant()) + "\n" + Code;
        var report = ProtocolCompliance.Check(text, ProtocolValidationLevel.Basic);
        Assert.Equal(ComplianceLevel.None, report.ComplianceLevel);
        Assert.Contains(report.Issues, i => i.Contains("lowercase", StringComparison.Ordinal));
    }

    [Fact]
    public void Issues_are_listed_up_to_a_hundred_and_the_rest_counted()
    {
        var text = string.Concat(Enumerable.Repeat("# ONEX:uid=a,hash=b,ts=1\n", 3000)) + Code;
        var report = ProtocolCompliance.Check(text, ProtocolValidationLevel.Strict);
        Assert.Equal(3000, report.StampsFound);
        Assert.Equal(ProtocolCompliance.MaxReportedIssues + 1, report.Issues.Count);
        Assert.StartsWith("... and ", report.Issues[^1], StringComparison.Ordinal);
        Assert.Equal(ComplianceLevel.None, report.ComplianceLevel);
    }
}
