using System.Diagnostics;
using System.Text;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// A stamp computed but not yet stored: the candidate record and, for text, the content carrying
/// its stamp. Drafting is pure: it checks the command, canonicalises, hashes, and refuses a stamp
/// that would not read back, before anything is stored.
/// </summary>
public sealed record class StampDraft(StampedText? Text, StampType Form, StampRecord Candidate, StampedPieces? Stamped)
{
    /// <exception cref="StampCommandException">The command breaks a rule, or its stamp would not validate.</exception>
    public static StampDraft For(StampCommand command, StampingOptions versions, DateTime now)
    {
        StampCommandRules.Check(command);
        var started = Stopwatch.GetTimestamp();
        var read = command.Text is null ? null : StampedText.Read(command.Text);
        var hashing = Stopwatch.GetTimestamp();
        var hash = command.Digest?.FileHash ?? (read is null ? ContentHash.Of(command.Binary) : ContentHash.OfUtf8(read.Canonical));
        var hashTime = Stopwatch.GetElapsedTime(hashing).TotalMilliseconds;
        var form = read is null ? StampType.Detached : command.Form;

        var record = new StampRecord
        {
            // Version 7 ids sort by creation time, which keeps the (created_at, stamp_id) index tidy.
            StampId = Guid.CreateVersion7(),
            FileHash = hash,
            Sha256 = command.Digest?.Sha256 ?? (read is null ? ContentHash.Sha256Of(command.Binary) : ContentHash.Sha256OfUtf8(read.Canonical)),
            Namespace = command.Namespace,
            FilePath = command.FilePath,
            FileSize = command.Digest?.Size ?? (read is null ? command.Binary!.Length : Encoding.UTF8.GetByteCount(command.Text!)),
            ContentType = command.ContentType ?? (read is null ? "application/octet-stream" : "text/plain"),
            StampType = form,
            Stamp = "",
            OpId = command.OpId ?? Guid.NewGuid(),
            MetadataVersion = versions.MetadataVersion,
            ProtocolVersion = versions.ProtocolVersion,
            IntelligenceDataJson = command.IntelligenceDataJson ?? StampRecord.NoIntelligenceData,
            Metadata = command.Metadata ?? [],
            CreatedAt = StampTimestamp.ToStampPrecision(now),
            WorkflowId = command.WorkflowId,
        };
        // For text the record's form is the one asked for, so its stamp is also the one the text gets.
        var stamp = StampWriter.Write(record, form);

        StampedPieces? stamped = null;
        if (read is not null)
        {
            stamped = Restamp.Pieces(read, hash, command.Form, stamp);
            // Only a START marker in the content can make a stamp misread (an appended block pairs
            // with it); without one, reading the result back again would only repeat the work.
            if (StampScanner.MentionsRichStart(command.Text!) && !Restamp.ReadsBack(stamped.Value.Join(), hash))
            {
                throw new StampCommandException(ErrorCodes.ValidationError, "options.stamp_type",
                    $"a {command.Form.Wire()} stamp would not validate on this content: it has an unclosed " +
                    "<!-- ONEX_METADATA_START --> marker that an appended block would pair with; stamp it lightweight");
            }
        }
        record = record with { Stamp = stamp, ProcessingTimeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds };
        return new StampDraft(read, command.Form, record, stamped) { HashTimeMs = hashTime };
    }

    /// <summary>Time spent hashing alone.</summary>
    public double HashTimeMs { get; init; }

    /// <summary>The outcome once stored: the stored record (maybe an older one), and the text stamped from it.</summary>
    /// <param name="inPieces">The stamped text in its pieces rather than joined (<see cref="BatchStampCommand.StampedInPieces"/>).</param>
    public StampOutcome Complete(StoredStamp stored, double processingTimeMs, bool inPieces = false)
    {
        // The stamp added to text is always built from the stored record, so a restamp of known
        // content carries the record's uid and time, in the form asked for now.
        var stamped = Text is null ? (StampedPieces?)null
            : stored.Created ? Stamped
            : Restamp.Pieces(Text, stored.Record.FileHash, Form, StampWriter.Write(stored.Record, Form));
        return new()
        {
            Record = stored.Record,
            Created = stored.Created,
            StampedContent = inPieces ? null : stamped?.Join(),
            StampedPieces = inPieces ? stamped : null,
            HashTimeMs = HashTimeMs,
            ProcessingTimeMs = processingTimeMs,
        };
    }
}
