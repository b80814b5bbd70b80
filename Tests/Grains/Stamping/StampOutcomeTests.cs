using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;
using Orleans.Serialization;

namespace OmniBridge.Tests.Grains.Stamping;

/// <summary>
/// A batch's caller may ask for stamped texts in pieces (joined as it writes its answer); the pieces
/// travel between processes as they are, and join to the text a caller that asked for it whole gets.
/// </summary>
public sealed class StampOutcomeTests
{
    const string Code = "def f():\n    return 1\n";

    static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Theory]
    [InlineData(StampType.Lightweight)]
    [InlineData(StampType.Rich)]
    public void Pieces_join_to_the_stamped_text_and_travel_as_pieces(StampType form)
    {
        var record = Samples.RecordFor(Code);
        var pieces = Restamp.Pieces(StampedText.Read(Code), record.FileHash, form, StampWriter.Write(record, form));
        var outcome = new StampOutcome { Record = record, Created = true, StampedPieces = pieces, HashTimeMs = 0.1, ProcessingTimeMs = 0.2 };

        Assert.Equal(Samples.Stamp(Code, form, record), outcome.StampedText());
        Assert.Null(outcome.StampedContent);
        var travelled = Serializer.Deserialize<StampOutcome>(Serializer.SerializeToArray(outcome))!;
        Assert.Equal(pieces, travelled.StampedPieces);
        Assert.Equal(outcome.StampedText(), travelled.StampedText());
    }

    [Fact]
    public void Text_that_already_carries_a_valid_stamp_is_one_piece_with_nothing_added()
    {
        var stamped = Samples.Stamp(Code);
        var pieces = Restamp.Pieces(StampedText.Read(stamped), CanonicalContent.HashOf(Code), StampType.Lightweight, "# a stamp that must not be added");
        Assert.Equal(StampedPieces.Whole(stamped), pieces);
        Assert.Equal(stamped, pieces.Join());
    }
}
