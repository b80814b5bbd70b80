using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Grains.Stamping;

public sealed class CanonicalContentTests
{
    const string Hash = "41f8394111eb713a22165c46c90ab8f0fd9399c92028fd6d288944b23ff5bf76";

    [Fact]
    public void A_lightweight_line_is_removed_with_its_line_break()
    {
        Assert.Equal("print(1)\nprint(2)", CanonicalContent.Of(Samples.LightweightLine(Hash) + "\nprint(1)\nprint(2)"));
    }

    [Fact]
    public void A_lightweight_line_in_the_middle_leaves_no_blank_line()
    {
        Assert.Equal("a\nb", CanonicalContent.Of("a\n" + Samples.LightweightLine(Hash) + "\nb"));
    }

    [Fact]
    public void The_rest_of_the_line_goes_too_author_version_and_a_carriage_return()
    {
        Assert.Equal("body", CanonicalContent.Of(Samples.LightweightLine(Hash) + ",author=alice,v=2\r\nbody"));
    }

    [Fact]
    public void The_pattern_counts_only_at_the_start_of_a_line()
    {
        var literal = "x = '" + Samples.LightweightLine(Hash) + "'";
        Assert.Equal(literal, CanonicalContent.Of(literal));
        Assert.Equal("  " + Samples.LightweightLine(Hash), CanonicalContent.Of("a\n\n\n  " + Samples.LightweightLine(Hash))[3..]);
    }

    [Fact]
    public void A_rich_block_is_removed_whatever_the_white_space_inside_its_markers()
    {
        var text = "body\n\n<!--ONEX_METADATA_START-->\n<!-- ONEX Metadata Stamp\n  hash: x\n-->\n<!--  ONEX_METADATA_END\t-->";
        Assert.Equal("body", CanonicalContent.Of(text));
    }

    [Fact]
    public void Every_rich_block_is_removed_but_text_between_them_stays()
    {
        const string block = "<!-- ONEX_METADATA_START -->x<!-- ONEX_METADATA_END -->";
        Assert.Equal("a\n\nb", CanonicalContent.Of(block + "a\n\n" + block + "\n\nb" + block));
    }

    [Theory]
    [InlineData("a\n\n\nb", "a\n\nb")]
    [InlineData("a\n\n\n\n\n\nb\n\n\nc", "a\n\nb\n\nc")]
    [InlineData("a\n\nb", "a\n\nb")]
    [InlineData("a\r\n\r\n\r\nb", "a\r\n\r\n\r\nb")]  // only runs of \n collapse, as in the original
    public void Runs_of_three_or_more_line_feeds_become_two(string input, string expected)
    {
        Assert.Equal(expected, CanonicalContent.Of(input));
    }

    [Fact]
    public void Ends_are_trimmed_of_python_white_space_only()
    {
        Assert.Equal("x", CanonicalContent.Of("\u00A0\u3000\n x \u2028\u001F"));
        Assert.Equal("\u200Bx", CanonicalContent.Of("\u200Bx\n"));
    }

    [Theory]
    [InlineData(StampType.Lightweight)]
    [InlineData(StampType.Rich)]
    public void Stamping_never_changes_the_canonical_content(StampType form)
    {
        const string text = "def f():\n    return 1\n\n\n\nprint(f())\n";
        var once = Samples.Stamp(text, form);
        Assert.Equal(CanonicalContent.Of(text), CanonicalContent.Of(once));
        Assert.Equal(CanonicalContent.HashOf(text), CanonicalContent.HashOf(once));
    }

    [Fact]
    public void An_unclosed_start_marker_is_not_a_block()
    {
        const string text = "a <!-- ONEX_METADATA_START --> b\n<!-- ONEX_METADATA_START -->";
        Assert.Equal(text, CanonicalContent.Of(text));
    }

    [Fact]
    public void A_block_runs_to_the_first_end_marker_after_its_start()
    {
        const string text = "x<!-- ONEX_METADATA_START -->1<!-- ONEX_METADATA_START -->2<!-- ONEX_METADATA_END -->y<!-- ONEX_METADATA_END -->z";
        Assert.Equal("xy<!-- ONEX_METADATA_END -->z", CanonicalContent.Of(text));
    }

    [Fact]
    public void Markers_with_other_text_inside_do_not_count()
    {
        const string text = "<!-- x ONEX_METADATA_START --> a <!-- ONEX_METADATA_END y -->";
        Assert.Equal(text, CanonicalContent.Of(text));
    }

    [Fact]
    public void Millions_of_start_markers_are_read_in_one_pass()
    {
        // Quadratic scanning would take hours here; one pass takes milliseconds.
        var text = string.Concat(Enumerable.Repeat("<!--ONEX_METADATA_START-->", 200_000)) + "body";
        Assert.Equal(text, CanonicalContent.Of(text));
        var closed = text + "<!-- ONEX_METADATA_END -->tail";
        Assert.Equal("tail", CanonicalContent.Of(closed));
    }

    [Fact]
    public void Content_that_is_only_stamps_is_empty()
    {
        Assert.Equal("", CanonicalContent.Of(Samples.LightweightLine(Hash) + "\n"));
    }
}
