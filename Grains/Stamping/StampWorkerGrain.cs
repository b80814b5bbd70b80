using System.Diagnostics;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;
using OmniBridge.Grains.Ports;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Canonicalises, hashes and stamps content, and records the result through the stamp store.
/// A stateless worker: each silo runs as many activations as it has cores.
/// </summary>
[StatelessWorker]
public sealed class StampWorkerGrain(IStampStore stamps, IOptions<StampingOptions> options, TimeProvider clock, ILogger<StampWorkerGrain> log)
    : Grain, IStampWorkerGrain
{
    readonly StampingOptions versions = options.Value;

    public async Task<StampOutcome> StampAsync(StampCommand command)
    {
        var started = Stopwatch.GetTimestamp();
        var draft = StampDraft.For(command, versions, clock.GetUtcNow().UtcDateTime);
        var outcome = draft.Complete(await stamps.AddAsync(draft.Candidate), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
        var stored = await stamps.AddBatchAsync(accepted.ConvertAll(d => d.Candidate));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var outcomes = accepted.Select((d, k) => d.Complete(stored[k], elapsed)).ToList();
        for (int i = 0, k = 0; i < drafts.Length; i++)
        {
            if (drafts[i] is not null) results[i] = new BatchItemOutcome { Outcome = outcomes[k++] };
        }
        await AnnounceAsync(outcomes);
        return results;
    }

    public Task<ValidationReport> ValidateAsync(ValidationCommand command) =>
        Task.FromResult(StampValidation.Judge(command.Text, command.ExpectedHash));

    public Task<ProtocolValidationReport> ValidateProtocolAsync(ProtocolValidationCommand command) =>
        Task.FromResult(ProtocolCompliance.Check(command.Text, command.Level));

    Task AnnounceAsync(IEnumerable<StampOutcome> outcomes) =>
        StampEvents.TryPublishCreatedAsync(this.GetStreamProvider(StampStreams.Provider), outcomes.Where(o => o.Created).Select(o => o.Record), log);
}
