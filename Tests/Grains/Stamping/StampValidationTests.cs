using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Grains.Stamping;

public sealed class StampValidationTests
{
    const string Code = "print('hi')\n";

    [Fact]
    public void Content_without_stamps_is_a_verdict_not_an_error()
    {
        var report = StampValidation.Judge(Code, null);
        Assert.False(report.IsValid);
        Assert.Equal(0, report.StampsFound);
        Assert.Equal("no stamps found", report.Reason);
        Assert.Equal(CanonicalContent.HashOf(Code), report.CurrentHash);
    }

    [Theory]
    [InlineData(StampType.Lightweight)]
    [InlineData(StampType.Rich)]
    public void Stamped_content_validates(StampType form)
    {
        var report = StampValidation.Judge(Samples.Stamp(Code, form), null);
        Assert.True(report.IsValid);
        Assert.Null(report.Reason);
        var check = Assert.Single(report.Results);
        Assert.Equal(form, check.StampType);
        Assert.Equal(report.CurrentHash, check.StampHash);
    }

    [Theory]
    [InlineData("print('hi')", "print('ho')")]
    [InlineData("print('hi')", "print('hi') ")]       // trailing white space is not covered (the original's rule)
    [InlineData("hi", "Hi")]
    public void Tampered_content_does_not_validate_unless_only_its_ends_changed(string original, string tampered)
    {
        var stamped = Samples.Stamp(original + "\n");
        var report = StampValidation.Judge(stamped.Replace(original, tampered, StringComparison.Ordinal), null);
        var onlyWhiteSpaceChanged = original.Trim() == tampered.Trim();
        Assert.Equal(onlyWhiteSpaceChanged, report.IsValid);
        if (!onlyWhiteSpaceChanged) Assert.Equal("hash mismatch", report.Reason);
    }

    [Fact]
    public void An_expected_hash_must_match_too()
    {
        var stamped = Samples.Stamp(Code);
        Assert.True(StampValidation.Judge(stamped, CanonicalContent.HashOf(Code)).IsValid);
        var report = StampValidation.Judge(stamped, new string('a', 64));
        Assert.False(report.IsValid);
        Assert.Equal("hash mismatch", report.Reason);
    }

    [Fact]
    public void One_stale_stamp_among_valid_ones_makes_the_content_invalid()
    {
        var stale = Samples.LightweightLine(new string('0', 64));
        var report = StampValidation.Judge(stale + "\n" + Samples.Stamp(Code, StampType.Rich), null);
        Assert.Equal(2, report.StampsFound);
        Assert.False(report.IsValid);
        Assert.Equal([false, true], report.Results.Select(r => r.IsValid));
    }

    [Fact]
    public void A_stamp_written_by_the_original_service_validates()
    {
        // The original wrote Python isoformat() times and read the last hash: both forms still agree here.
        var hash = CanonicalContent.HashOf(Code);
        var original = $"# ONEX:uid=6f1c7a52-9b1e-4f0e-8d3a-2b4c6d8e0f1a,hash={hash},ts=2025-09-28T10:00:00.123456+00:00\n{Code}";
        Assert.True(StampValidation.Judge(original, null).IsValid);
    }

    [Fact]
    public void Thousands_of_stamps_are_counted_but_only_the_first_hundred_reported()
    {
        var line = Samples.LightweightLine(CanonicalContent.HashOf(Code));
        var text = string.Concat(Enumerable.Repeat(line + "\n", 5000)) + Code;
        var report = StampValidation.Judge(text, null);
        Assert.True(report.IsValid);
        Assert.Equal(5000, report.StampsFound);
        Assert.Equal(StampValidation.MaxReportedStamps, report.Results.Count);
    }
}
