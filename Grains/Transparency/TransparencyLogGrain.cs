using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Transparency;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Grains.Transparency;

/// <summary>
/// The single writer of one namespace's log (docs/transparency.md, "Integration"). While active it
/// takes in, every LOG_INTEGRATE_MS, the records the store holds without a log index, oldest
/// first, and signs a checkpoint when the tree has grown (at most every LOG_CHECKPOINT_MS, also
/// between the batches of a long backlog, so that proofs follow a sustained load). A tick ends when
/// the silo begins to stop, whatever still waits. Integration works from stored state only, so a
/// record created while no silo ran this grain, or whose nudge was lost with its silo, is taken in
/// all the same; the store's transaction makes a cut-short integration leave nothing behind.
/// Stamping never waits for any of this.
/// </summary>
public sealed partial class TransparencyLogGrain(
    ITransparencyLogStore log,
    LogSigner signer,
    IOptions<TransparencyOptions> options,
    TimeProvider clock,
    IHostApplicationLifetime host,
    ILogger<TransparencyLogGrain> logger) : Grain, ITransparencyLogGrain
{
    readonly TransparencyOptions settings = options.Value;
    long signedSize = -1;
    long signedAt;

    string Namespace => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!settings.Enabled) return;
        // A checkpoint signed by another key (an ephemeral key of an earlier run) is signed again.
        if (await log.CheckpointAsync(Namespace, cancellationToken) is { } note && Checkpoint.SignedBy(note, signer.Key)) signedSize = Checkpoint.SizeOf(note);
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.Zero, settings.IntegrateInterval) { Interleave = false, KeepAlive = false });
    }

    public Task IntegrateSoonAsync() => Task.CompletedTask;

    public async Task<long> IntegrateNowAsync()
    {
        RequireEnabled();
        var size = await IntegrateAllAsync(CancellationToken.None);
        if (size != signedSize) await SignAsync(size, CancellationToken.None);
        return size;
    }

    public async Task<string> CheckpointAsync()
    {
        RequireEnabled();
        if (signedSize >= 0 && await log.CheckpointAsync(Namespace) is { } note && Checkpoint.SignedBy(note, signer.Key)) return note;
        return await SignAsync(await log.SizeAsync(Namespace), CancellationToken.None);
    }

    async Task TickAsync(CancellationToken cancellationToken)
    {
        // The timer's token fires only once the grain deactivates, which waits for this tick: without the silo's
        // own signal a stopping silo waited out its deactivation timeout behind a long backlog (30 s).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, host.ApplicationStopping);
        try
        {
            await SignWhenDueAsync(await IntegrateAllAsync(stopping.Token), stopping.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An outage delays integration; the records wait in the store and the next tick tries again.
            LogIntegrationFailed(logger, Namespace, e);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The silo stops or the grain deactivates: the batch under way was rolled back and waits for the next activation.
        }
    }

    /// <summary>
    /// Takes in every waiting record, a batch per transaction, signing a checkpoint between batches whenever
    /// LOG_CHECKPOINT_MS has passed since the last; returns the size.
    /// </summary>
    async Task<long> IntegrateAllAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // A full batch means more may wait; a store with nothing waiting never calls the plan.
            var taken = 0;
            var size = await log.IntegrateAsync(Namespace, settings.BatchSize, (tip, records) =>
            {
                taken = records.Count;
                return LogReader.Plan(tip, records);
            }, cancellationToken);
            if (taken < settings.BatchSize) return size;
            await SignWhenDueAsync(size, cancellationToken);
        }
    }

    /// <summary>Signs <paramref name="size"/> when the tree has grown and LOG_CHECKPOINT_MS has passed since the last signature.</summary>
    async Task SignWhenDueAsync(long size, CancellationToken cancellationToken)
    {
        if (size != signedSize && clock.GetElapsedTime(signedAt) >= settings.CheckpointInterval) await SignAsync(size, cancellationToken);
    }

    async Task<string> SignAsync(long size, CancellationToken cancellationToken)
    {
        var note = signer.Sign(Namespace, size, await new LogReader(log).RootAsync(Namespace, size, cancellationToken));
        // The empty tree's note is signed afresh when asked for (Ed25519 signs deterministically), never
        // stored: any reader may ask about any namespace, and that must leave nothing behind.
        if (size > 0) await log.SaveCheckpointAsync(Namespace, size, note, cancellationToken);
        signedSize = size;
        signedAt = clock.GetTimestamp();
        return note;
    }

    void RequireEnabled()
    {
        if (!settings.Enabled) throw new TransparencyLogException(ErrorCodes.LogDisabled, null, "the transparency log is turned off (LOG_ENABLED=false)");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Integrating the transparency log of {Namespace} failed; the next tick tries again")]
    static partial void LogIntegrationFailed(ILogger logger, string @namespace, Exception error);
}
