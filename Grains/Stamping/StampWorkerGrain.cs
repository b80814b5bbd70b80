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
        StampCommandRules.Check(command);
        var started = Stopwatch.GetTimestamp();
        var work = Compute(command);
        var stored = await stamps.AddAsync(work.Candidate);
        var outcome = Finish(work, stored, started);
        Announce([outcome]);
        return outcome;
    }

    public async Task<IReadOnlyList<StampOutcome>> StampBatchAsync(BatchStampCommand command)
    {
        for (var i = 0; i < command.Items.Count; i++) StampCommandRules.Check(command.Items[i], $"items[{i}].");
        var started = Stopwatch.GetTimestamp();
        var work = command.Items.Select(Compute).ToList();
        var stored = await stamps.AddBatchAsync(work.ConvertAll(w => w.Candidate));
        var outcomes = work.Select((w, i) => Finish(w, stored[i], started)).ToList();
        Announce(outcomes);
        return outcomes;
    }

    public Task<ValidationReport> ValidateAsync(ValidationCommand command) =>
        Task.FromResult(StampValidation.Judge(command.Text, command.ExpectedHash));

    public Task<ProtocolValidationReport> ValidateProtocolAsync(ProtocolValidationCommand command) =>
        Task.FromResult(ProtocolCompliance.Check(command.Text, command.Level));

    Work Compute(StampCommand command)
    {
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
        return new Work(read, command.Form, record, hashTime);
    }

    static StampOutcome Finish(Work work, StoredStamp stored, long started) => new()
    {
        Record = stored.Record,
        Created = stored.Created,
        // The stamp added to text is always built from the stored record, so a restamp of known
        // content carries the record's uid and time, in the form asked for now.
        StampedContent = work.Text is null
            ? null
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

    sealed record Work(StampedText? Text, StampType Form, StampRecord Candidate, double HashTimeMs);
}
