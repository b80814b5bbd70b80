using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;

namespace OmniBridge.Bench;

/// <summary>Stamp records as the stamp worker builds them, for distinct text contents.</summary>
public static class BenchRecords
{
    /// <summary>
    /// <paramref name="count"/> records of <paramref name="ns"/>, content i being "{ns} {i} " and
    /// <paramref name="filler"/> characters: the same hashes for the same arguments.
    /// </summary>
    public static List<StampRecord> Of(string ns, int count, int filler, DateTime start) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var content = $"{ns} {i} " + new string('x', filler);
            var record = new StampRecord
            {
                StampId = Guid.CreateVersion7(),
                FileHash = ContentHash.OfUtf8(content),
                Sha256 = ContentHash.Sha256OfUtf8(content),
                Namespace = ns,
                FilePath = $"src/file{i}.py",
                FileSize = content.Length,
                ContentType = "text/plain",
                StampType = StampType.Lightweight,
                Stamp = "",
                OpId = Guid.NewGuid(),
                MetadataVersion = "0.1",
                ProtocolVersion = "1.0",
                CreatedAt = StampTimestamp.ToStampPrecision(start.AddMilliseconds(i)),
            };
            return record with { Stamp = StampWriter.Lightweight(record) };
        })];
}
