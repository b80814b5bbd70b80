using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using Orleans.Concurrency;
using Orleans.GrainDirectory;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Canonicalises, hashes and stamps content, and records the result through the stamp store.
/// A stateless worker: each silo runs as many activations as it has cores, and each interleaves
/// its calls (it keeps no state between them), so a call waiting for the database or the event path
/// never holds up the next one: without it a silo wrote two stamps at a time.
/// </summary>
[StatelessWorker]
[Reentrant]
[GrainDirectory(GrainDirectoryName = WorkerDirectory.Name)]
public sealed partial class StampWorkerGrain(
    StampRegistry stamps,
    IEventPath events,
    IOptions<StampingOptions> options,
    TimeProvider clock,
    ILogger<StampWorkerGrain> log) : Grain, IStampWorkerGrain
{
    readonly StampingOptions versions = options.Value;

    public async Task<StampOutcome> StampAsync(StampCommand command)
    {
        var started = Stopwatch.GetTimestamp();
        var draft = StampDraft.For(command, versions, clock.GetUtcNow().UtcDateTime);
        var outcome = draft.Complete(await stamps.AddAsync(draft.Candidate, events.WithStamps([draft.Candidate], RequestId)), Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            command.StampedInPieces);
        await AnnounceAsync([outcome]);
        return outcome;
    }

    public async Task<IReadOnlyList<BatchItemOutcome>> StampBatchAsync(BatchStampCommand command)
    {
        // The API checks the count before it calls; a grain client gets the same answer here.
        var total = command.Earlier.Items + command.Items.Count + command.RefusedItems;
        if (total == 0) throw new StampCommandException(ErrorCodes.EmptyBatch, "items", "the batch has no items");
        if (total > Limits.BatchItems) throw new StampCommandException(ErrorCodes.BatchTooLarge, "items", $"a batch holds at most {Limits.BatchItems} items, not {total}");
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow().UtcDateTime;
        var drafts = new StampDraft?[command.Items.Count];
        var results = new BatchItemOutcome[command.Items.Count];
        for (var i = 0; i < drafts.Length; i++)
        {
            try
            {
                drafts[i] = StampDraft.For(command.Items[i], versions, now);
            }
            catch (StampCommandException refused)
            {
                results[i] = BatchItemOutcome.Refused(refused);
            }
        }

        var accepted = drafts.OfType<StampDraft>().ToList();
        var candidates = accepted.ConvertAll(d => d.Candidate);
        // A batch sent in parts is announced with its last part, counting them all.
        var summary = command.MoreToCome ? null : new BatchSummary(command.BatchId, command.Namespace ?? candidates.FirstOrDefault()?.Namespace ?? "",
            total, command.Earlier.Stamped + accepted.Count, command.Earlier.ProcessingTimeMs + Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        var outboxed = events.WithStamps(candidates, RequestId, summary);
        var stored = accepted.Count > 0 || outboxed is not null ? await stamps.AddBatchAsync(candidates, outboxed) : [];
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var outcomes = accepted.Select((d, k) => d.Complete(stored[k], elapsed, command.StampedInPieces)).ToList();
        for (int i = 0, k = 0; i < drafts.Length; i++)
        {
            if (drafts[i] is not null) results[i] = new BatchItemOutcome { Outcome = outcomes[k++] };
        }
        await AnnounceAsync(outcomes);
        return results;
    }

    public async Task<ValidationReport> ValidateAsync(ValidationCommand command)
    {
        var report = StampValidation.Judge(command.Text, command.ExpectedHash);
        if (command.Namespace is { } ns)
        {
            // A validation changes nothing, so its event is worth less than the answer: a database
            // outage loses the event (and says so), never the validation.
            try
            {
                await events.ValidatedAsync(report.CurrentHash, ns, report.IsValid, report.StampsFound, RequestId);
            }
            catch (Exception e)
            {
                LogValidatedEventLost(log, ns, e);
            }
        }
        return report;
    }

    public Task<ProtocolValidationReport> ValidateProtocolAsync(ProtocolValidationCommand command) =>
        Task.FromResult(ProtocolCompliance.Check(command.Text, command.Level));

    /// <summary>Announces the records this call created where their rows did not carry their events (waiting a second at most).</summary>
    Task AnnounceAsync(IEnumerable<StampOutcome> outcomes) =>
        StampEvents.TryPublishCreatedAsync(events, [.. outcomes.Where(o => o.Created).Select(o => o.Record)], log);

    /// <summary>The API request this call serves, to correlate its events.</summary>
    static string? RequestId => RequestIds.Current;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stamp-validated event of a validation in {Namespace} was not written")]
    static partial void LogValidatedEventLost(ILogger logger, string @namespace, Exception error);
}
