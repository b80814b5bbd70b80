using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;
using OmniBridge.Grains.Ports;
using Orleans.Concurrency;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Canonicalises, hashes and stamps content, and records the result through the stamp store.
/// A stateless worker: each silo runs as many activations as it has cores.
/// </summary>
[StatelessWorker]
public sealed class StampWorkerGrain(IStampStore stamps, IOptions<StampingOptions> options, TimeProvider clock) : Grain, IStampWorkerGrain
{
    readonly StampingOptions versions = options.Value;

    public async Task<StampOutcome> StampAsync(StampCommand command)
    {
        var started = Stopwatch.GetTimestamp();
        var work = Compute(command);
        var stored = await stamps.AddAsync(work.Candidate);
        var outcome = Finish(work, stored, started);
        Announce([outcome]);
        return outcome;
    }

    public async Task<IReadOnlyList<BatchItemOutcome>> StampBatchAsync(BatchStampCommand command)
    {
        var started = Stopwatch.GetTimestamp();
        var work = new Work?[command.Items.Count];
        var results = new BatchItemOutcome[command.Items.Count];
        for (var i = 0; i < work.Length; i++)
        {
            try
            {
                work[i] = Compute(command.Items[i]);
            }
            catch (StampCommandException refused)
            {
                results[i] = BatchItemOutcome.Refused(refused);
            }
        }

        var accepted = work.OfType<Work>().ToList();
        var stored = await stamps.AddBatchAsync(accepted.ConvertAll(w => w.Candidate));
        var outcomes = accepted.Select((w, k) => Finish(w, stored[k], started)).ToList();
        for (int i = 0, k = 0; i < work.Length; i++)
        {
            if (work[i] is not null) results[i] = new BatchItemOutcome { Outcome = outcomes[k++] };
        }
        Announce(outcomes);
        return results;
    }

    public Task<ValidationReport> ValidateAsync(ValidationCommand command) =>
        Task.FromResult(StampValidation.Judge(command.Text, command.ExpectedHash));

    public Task<ProtocolValidationReport> ValidateProtocolAsync(ProtocolValidationCommand command) =>
        Task.FromResult(ProtocolCompliance.Check(command.Text, command.Level));

    /// <summary>Checks, canonicalises, hashes and builds the candidate record; refuses what would not read back.</summary>
    Work Compute(StampCommand command)
    {
        StampCommandRules.Check(command);
        var read = command.Text is null ? null : StampedText.Read(command.Text);
        var hashing = Stopwatch.GetTimestamp();
        var hash = read is null ? ContentHash.Of(command.Binary) : ContentHash.OfUtf8(read.Canonical);
        var hashTime = Stopwatch.GetElapsedTime(hashing).TotalMilliseconds;
        var form = read is null ? StampType.Detached : command.Form;

        var record = new StampRecord
        {
            // Version 7 ids sort by creation time, which keeps the (created_at, stamp_id) index tidy.
            StampId = Guid.CreateVersion7(),
            FileHash = hash,
            Namespace = command.Namespace,
            FilePath = command.FilePath,
            FileSize = read is null ? command.Binary!.Length : Encoding.UTF8.GetByteCount(command.Text!),
            ContentType = command.ContentType ?? (read is null ? "application/octet-stream" : "text/plain"),
            StampType = form,
            Stamp = "",
            OpId = command.OpId ?? Guid.NewGuid(),
            MetadataVersion = versions.MetadataVersion,
            ProtocolVersion = versions.ProtocolVersion,
            IntelligenceDataJson = command.IntelligenceDataJson ?? "{}",
            Metadata = command.Metadata ?? [],
            CreatedAt = StampTimestamp.ToStampPrecision(clock.GetUtcNow().UtcDateTime),
        };
        record = record with { Stamp = StampWriter.Write(record, form) };

        // Checked before anything is stored: a stamp that would not validate is refused, not recorded.
        string? stamped = null;
        if (read is not null)
        {
            stamped = Restamp.Apply(read, hash, command.Form, StampWriter.Write(record, command.Form));
            if (!Restamp.ReadsBack(stamped, hash))
            {
                throw new StampCommandException("VALIDATION_ERROR", "options.stamp_type",
                    $"a {(command.Form == StampType.Rich ? "rich" : "lightweight")} stamp would not validate on this content: it has an unclosed " +
                    "<!-- ONEX_METADATA_START --> marker that an appended block would pair with; stamp it lightweight");
            }
        }
        return new Work(read, command.Form, record, hashTime, stamped);
    }

    static StampOutcome Finish(Work work, StoredStamp stored, long started) => new()
    {
        Record = stored.Record,
        Created = stored.Created,
        // The stamp added to text is always built from the stored record, so a restamp of known
        // content carries the record's uid and time, in the form asked for now.
        StampedContent = work.Text is null ? null
            : stored.Created ? work.StampedContent
            : Restamp.Apply(work.Text, stored.Record.FileHash, work.Form, StampWriter.Write(stored.Record, work.Form)),
        HashTimeMs = work.HashTimeMs,
        ProcessingTimeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
    };

    void Announce(IEnumerable<StampOutcome> outcomes)
    {
        foreach (var outcome in outcomes.Where(o => o.Created))
        {
            _ = GrainFactory.GetGrain<INamespaceReducerGrain>(outcome.Record.Namespace)
                .ApplyAsync(new StampCreated { Record = outcome.Record, ProcessingTimeMs = outcome.ProcessingTimeMs });
        }
    }

    sealed record Work(StampedText? Text, StampType Form, StampRecord Candidate, double HashTimeMs, string? StampedContent);
}
