using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;

namespace OmniBridge.Tests.Fixtures;

/// <summary>Records and stamped texts built the way the service builds them.</summary>
public static class Samples
{
    public static readonly DateTime Noon = new(2026, 11, 27, 12, 0, 0, 123, DateTimeKind.Utc);

    public static StampRecord Record(string hash, string ns = "tests.samples", DateTime? createdAt = null, Guid? id = null,
        StampType type = StampType.Lightweight, string? filePath = null, long size = 11, string contentType = "text/plain") => new()
        {
            StampId = id ?? Guid.NewGuid(),
            FileHash = hash,
            Namespace = ns,
            FilePath = filePath,
            FileSize = size,
            ContentType = contentType,
            StampType = type,
            Stamp = $"# ONEX:uid=x,hash={hash},ts=2026-11-27T12:00:00.000Z",
            OpId = Guid.NewGuid(),
            MetadataVersion = "0.1",
            ProtocolVersion = "1.0",
            CreatedAt = createdAt ?? Noon,
        };

    /// <summary>A record for <paramref name="text"/>: the hash of its canonical content.</summary>
    public static StampRecord RecordFor(string text, DateTime? createdAt = null) => Record(CanonicalContent.HashOf(text), createdAt: createdAt);

    /// <summary>Stamps <paramref name="text"/> in <paramref name="form"/> with a fresh record, as the service would.</summary>
    public static string Stamp(string text, StampType form = StampType.Lightweight, StampRecord? record = null)
    {
        var read = StampedText.Read(text);
        var hash = ContentHash.OfUtf8(read.Canonical);
        record ??= Record(hash);
        return Restamp.Apply(read, hash, form, StampWriter.Write(record, form));
    }

    public static string LightweightLine(string hash, string uid = "0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e", string ts = "2026-11-27T10:00:00.000Z") =>
        $"# ONEX:uid={uid},hash={hash},ts={ts}";
}
