using System.Text.Json;
using System.Text.Json.Serialization;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Api.Stamping;

/// <summary>
/// Writes a stamped text from its pieces as one JSON string, piece after piece, so that a batch's
/// answer never makes the joined text (a second copy of each item's content, a fifth of the bytes
/// /batch allocated when it did).
/// </summary>
public sealed class StampedPiecesConverter : JsonConverter<StampedPieces>
{
    public override StampedPieces Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        StampedPieces.Whole(reader.GetString() ?? throw new JsonException("a stamped text is a string"));

    public override void Write(Utf8JsonWriter writer, StampedPieces value, JsonSerializerOptions options)
    {
        writer.WriteStringValueSegment(value.First, isFinalSegment: false);
        writer.WriteStringValueSegment(value.Between, isFinalSegment: false);
        writer.WriteStringValueSegment(value.Last, isFinalSegment: true);
    }
}
