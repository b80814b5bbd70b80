using System.Text.Json;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Stamping;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

public sealed class StampedPiecesConverterTests
{
    [Theory]
    [InlineData("plain", "\n", "# ONEX:uid=1,hash=ab,ts=2026-01-01T00:00:00.000Z")]
    [InlineData("quote \" backslash \\ tab \t\r\n", "\n\n", "<!-- ONEX_METADATA_START -->\n\"x\"\n<!-- ONEX_METADATA_END -->")]
    [InlineData("é 漢字 😀 \u0001 \u2028", "\n", "stamp")]
    [InlineData("already stamped", "", "")]
    [InlineData("", "", "")]
    public void Pieces_are_written_as_the_joined_text_would_be_byte_for_byte(string first, string between, string last)
    {
        var pieces = new StampedPieces(first, between, last);
        var view = new BatchItemView { Id = "0", Success = true, Outcome = Outcome(pieces, null) };

        var written = JsonSerializer.Serialize(view, ApiJson.Options);
        var expected = JsonSerializer.Serialize(first + between + last, ApiJson.Options);

        Assert.Contains($"\"stamped_content\":{expected}", written, StringComparison.Ordinal);
        Assert.Equal(first + between + last, JsonDocument.Parse(written).RootElement.GetProperty("stamped_content").GetString());
    }

    static StampOutcome Outcome(StampedPieces? pieces, string? joined) => new()
    {
        Record = Samples.RecordFor("text"),
        Created = true,
        StampedPieces = pieces,
        StampedContent = joined,
        HashTimeMs = 0,
        ProcessingTimeMs = 0,
    };

    [Fact]
    public void A_joined_text_from_an_older_silo_is_written_as_it_came_and_no_outcome_is_null()
    {
        var joined = new BatchItemView { Id = "0", Success = true, Outcome = Outcome(null, "text\n# stamp") };
        var failed = new BatchItemView { Id = "1", Success = false };

        Assert.Equal("text\n# stamp", JsonDocument.Parse(JsonSerializer.Serialize(joined, ApiJson.Options)).RootElement.GetProperty("stamped_content").GetString());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(JsonSerializer.Serialize(failed, ApiJson.Options)).RootElement.GetProperty("stamped_content").ValueKind);
    }
}
