using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Grains.Stamping;

public sealed class RestampTests
{
    const string Code = "def f():\n    return 1\n";

    [Fact]
    public void A_lightweight_stamp_is_prepended_as_its_own_line()
    {
        var record = Samples.RecordFor(Code);
        Assert.Equal(StampWriter.Lightweight(record) + "\n" + Code, Samples.Stamp(Code, StampType.Lightweight, record));
    }

    [Fact]
    public void A_rich_stamp_is_appended_after_a_blank_line()
    {
        var record = Samples.RecordFor(Code);
        Assert.Equal(Code + "\n\n" + StampWriter.Rich(record), Samples.Stamp(Code, StampType.Rich, record));
    }

    [Theory]
    [InlineData(StampType.Lightweight)]
    [InlineData(StampType.Rich)]
    public void Restamping_stamped_content_changes_nothing(StampType form)
    {
        var once = Samples.Stamp(Code, form);
        var twice = Samples.Stamp(once, form);
        var thrice = Samples.Stamp(twice, form == StampType.Rich ? StampType.Lightweight : StampType.Rich);
        Assert.Equal(once, twice);
        Assert.Equal(once, thrice);
        Assert.Single(StampedText.Read(thrice).Stamps);
    }

    [Fact]
    public void A_valid_stamp_with_another_uid_is_kept_as_written()
    {
        var foreign = Samples.LightweightLine(CanonicalContent.HashOf(Code), uid: "someone-elses-uid") + "\n" + Code;
        Assert.Equal(foreign, Samples.Stamp(foreign));
    }

    [Fact]
    public void Stale_stamps_of_every_form_are_replaced_by_one_valid_stamp()
    {
        var stamped = Samples.LightweightLine(CanonicalContent.HashOf(Code)) + "\n" + Samples.Stamp(Code, StampType.Rich);
        Assert.Equal(2, StampedText.Read(stamped).Stamps.Count());
        var edited = stamped.Replace("return 1", "return 2", StringComparison.Ordinal);   // both stamps are now stale

        var restamped = Samples.Stamp(edited, StampType.Lightweight);

        var read = StampedText.Read(restamped);
        var stamp = Assert.Single(read.Stamps);
        Assert.Equal(StampType.Lightweight, stamp.Form);
        Assert.True(stamp.Binds(ContentHash.OfUtf8(read.Canonical)));
        Assert.Equal(Code.Replace("1", "2", StringComparison.Ordinal), read.Text[(read.Text.IndexOf('\n') + 1)..]);
    }

    [Fact]
    public void Removing_a_stale_rich_block_takes_its_blank_line_separator_with_it()
    {
        var stamped = Samples.Stamp(Code, StampType.Rich).Replace("return 1", "return 2", StringComparison.Ordinal);
        var restamped = Samples.Stamp(stamped, StampType.Rich);
        Assert.StartsWith(Code.Replace("1", "2", StringComparison.Ordinal) + "\n\n<!-- ONEX_METADATA_START -->", restamped, StringComparison.Ordinal);
    }

    [Fact]
    public void Stamps_never_accumulate_over_many_edits()
    {
        var text = Code;
        for (var i = 0; i < 10; i++)
        {
            text = Samples.Stamp(text + $"# edit {i}\n", i % 2 == 0 ? StampType.Lightweight : StampType.Rich);
        }
        Assert.Single(StampedText.Read(text).Stamps);
    }

    [Fact]
    public void A_rich_stamp_after_an_unclosed_start_marker_would_not_read_back()
    {
        const string text = "a <!-- ONEX_METADATA_START --> b";
        var hash = CanonicalContent.HashOf(text);
        var rich = Samples.Stamp(text, StampType.Rich);
        var light = Samples.Stamp(text, StampType.Lightweight);

        Assert.False(Restamp.ReadsBack(rich, hash));
        Assert.True(Restamp.ReadsBack(light, hash));
        Assert.True(StampValidation.Judge(light, null).IsValid);
    }
}
