using System.Diagnostics;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Judges the stamps text carries against its canonical hash (SPEC §3.5). Content without any
/// stamp is a verdict (not valid, "no stamps found"), never an error.
/// </summary>
public static class StampValidation
{
    public const string NoStamps = "no stamps found";
    public const string HashMismatch = "hash mismatch";

    public static ValidationReport Judge(string text, string? expectedHash)
    {
        var read = StampedText.Read(text);
        var started = Stopwatch.GetTimestamp();
        var current = ContentHash.OfUtf8(read.Canonical);
        var hashTime = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        var results = read.Stamps
            .Select(s => new StampCheck
            {
                StampType = s.Form,
                StampHash = s.Hash,
                IsValid = s.Binds(current) && (expectedHash is null || string.Equals(s.Hash, expectedHash, StringComparison.Ordinal)),
            })
            .ToList();
        var valid = results.Count > 0 && results.TrueForAll(r => r.IsValid);
        return new ValidationReport
        {
            IsValid = valid,
            StampsFound = results.Count,
            CurrentHash = current,
            Reason = valid ? null : results.Count == 0 ? NoStamps : HashMismatch,
            Results = results,
            HashTimeMs = hashTime,
        };
    }
}
