using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Transparency;

/// <summary>
/// What a record's leaf says of it (docs/transparency.md, "Leaves"): all an integration reads of a
/// record waiting for its leaf, so a store reads these columns, not the whole record.
/// </summary>
public sealed record class LeafFields(Guid StampId, string Namespace, string FileHash, string? Sha256, long FileSize, DateTime CreatedAt)
{
    public static LeafFields Of(StampRecord record) =>
        new(record.StampId, record.Namespace, record.FileHash, record.Sha256, record.FileSize, record.CreatedAt);
}
