using OmniBridge.Grains.Stamping;

namespace OmniBridge.Tests.Grains.Stamping;

public sealed class StampTimestampTests
{
    [Fact]
    public void Writes_milliseconds_and_Z()
    {
        Assert.Equal("2026-01-02T03:04:05.006Z", StampTimestamp.Format(new DateTime(2026, 1, 2, 3, 4, 5, 6, DateTimeKind.Utc)));
    }

    [Theory]
    [InlineData("2026-11-27T10:00:00Z", 0)]
    [InlineData("2026-11-27T10:00:00.5Z", 5_000_000)]
    [InlineData("2026-11-27T10:00:00.123456+00:00", 1_234_560)]   // how the original wrote them
    [InlineData("2026-11-27T10:00:00.1234567Z", 1_234_567)]
    [InlineData("2026-11-27T10:00:00.123456789Z", 1_234_567)]           // finer than a tick: truncated
    public void Reads_Z_and_plus_zero_offsets_with_any_fraction(string text, long fractionTicks)
    {
        Assert.True(StampTimestamp.TryParse(text, out var utc));
        Assert.Equal(new DateTime(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc).AddTicks(fractionTicks), utc);
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
    }

    [Theory]
    [InlineData("2026-11-27T10:00:00+02:00")]
    [InlineData("2026-11-27T10:00:00")]
    [InlineData("2026-11-27 10:00:00Z")]
    [InlineData("2026-13-27T10:00:00Z")]
    [InlineData("2026-11-27T10:00:00.Z")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void Refuses_anything_else(string text)
    {
        Assert.False(StampTimestamp.TryParse(text, out _));
    }

    [Fact]
    public void Stamp_precision_drops_sub_millisecond_ticks()
    {
        var precise = new DateTime(2026, 11, 27, 10, 0, 0, 123, DateTimeKind.Utc).AddTicks(4567);
        Assert.Equal(new DateTime(2026, 11, 27, 10, 0, 0, 123, DateTimeKind.Utc), StampTimestamp.ToStampPrecision(precise));
    }
}
