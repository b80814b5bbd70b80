using System.Diagnostics;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Judges the stamps text carries against its canonical hash (docs/protocol.md, "Validation"). Content without any
/// stamp is a verdict (not valid, "no stamps found"), never an error.
/// </summary>
public static class StampValidation
{
    public const string NoStamps = "no stamps found";
    public const string HashMismatch = "hash mismatch";

    /// <summary>At most this many per-stamp verdicts are reported; the counts cover every stamp.</summary>
    public const int MaxReportedStamps = 100;

    public static ValidationReport Judge(string text, string? expectedHash)
    {
        var read = StampedText.Read(text);
        var started = Stopwatch.GetTimestamp();
        var current = ContentHash.OfUtf8(read.Canonical);
        var hashTime = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        var results = new List<StampCheck>();
        int found = 0, invalid = 0;
        foreach (var stamp in read.Stamps)
        {
            var isValid = stamp.Binds(current) && (expectedHash is null || string.Equals(stamp.Hash, expectedHash, StringComparison.Ordinal));
            found++;
            if (!isValid) invalid++;
            if (results.Count < MaxReportedStamps) results.Add(new StampCheck { StampType = stamp.Form, StampHash = stamp.Hash, IsValid = isValid });
        }
        var valid = found > 0 && invalid == 0;
        return new ValidationReport
        {
            IsValid = valid,
            StampsFound = found,
            CurrentHash = current,
            Reason = valid ? null : found == 0 ? NoStamps : HashMismatch,
            Results = results,
            HashTimeMs = hashTime,
        };
    }
}
