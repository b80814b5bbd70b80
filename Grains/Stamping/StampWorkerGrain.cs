using System.Diagnostics;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;
using OmniBridge.Grains.Ports;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.GrainDirectory;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Canonicalises, hashes and stamps content, and records the result through the stamp store.
/// A stateless worker: each silo runs as many activations as it has cores.
/// </summary>
[StatelessWorker]
[GrainDirectory(GrainDirectoryName = WorkerDirectory.Name)]
public sealed partial class StampWorkerGrain(
    StampRegistry stamps,
    IEventOutbox outbox,
    EventEnvelopes events,
    IOptions<StampingOptions> options,
    TimeProvider clock,
    ILogger<StampWorkerGrain> log) : Grain, IStampWorkerGrain
{
    readonly StampingOptions versions = options.Value;

    public async Task<StampOutcome> StampAsync(StampCommand command)
    {
        var started = Stopwatch.GetTimestamp();
        var draft = StampDraft.For(command, versions, clock.GetUtcNow().UtcDateTime);
        var outboxed = events.Enabled ? new StampOutboxEvents([events.StampCreated(draft.Candidate, RequestId)], []) : null;
        var outcome = draft.Complete(await stamps.AddAsync(draft.Candidate, outboxed), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await AnnounceAsync([outcome]);
        return outcome;
    }

    public async Task<IReadOnlyList<BatchItemOutcome>> StampBatchAsync(BatchStampCommand command)
    {
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
        var outboxed = events.Enabled
            ? new StampOutboxEvents(
                [.. candidates.Select(c => events.StampCreated(c, RequestId))],
                [events.BatchProcessed(command.BatchId, command.Namespace ?? candidates.FirstOrDefault()?.Namespace ?? "", command.Items.Count + command.RefusedItems,
                    accepted.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds, RequestId)])
            : null;
        var stored = accepted.Count > 0 || outboxed is not null ? await stamps.AddBatchAsync(candidates, outboxed) : [];
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var outcomes = accepted.Select((d, k) => d.Complete(stored[k], elapsed)).ToList();
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
        if (events.Enabled && command.Namespace is { } ns)
        {
            // A validation changes nothing, so its event is worth less than the answer: a database
            // outage loses the event (and says so), never the validation.
            try
            {
                await outbox.AddAsync([events.StampValidated(report.CurrentHash, ns, report.IsValid, report.StampsFound, RequestId)]);
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

    /// <summary>Without an outbox, created stamps are announced on the in-memory stream; with one, the outbox carries them.</summary>
    Task AnnounceAsync(IEnumerable<StampOutcome> outcomes) => events.Enabled
        ? Task.CompletedTask
        : StampEvents.TryPublishCreatedAsync(this.GetStreamProvider(StampStreams.Provider), outcomes.Where(o => o.Created).Select(o => o.Record), log);

    /// <summary>The API request this call serves, to correlate its events.</summary>
    static string? RequestId => RequestIds.Current;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stamp-validated event of a validation in {Namespace} was not written")]
    static partial void LogValidatedEventLost(ILogger logger, string @namespace, Exception error);
}
