using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Stamping;
using Orleans.Placement;
using Orleans.Serialization;

namespace OmniBridge.Grains.Workflows;

/// <summary>
/// One stamping workflow (SPEC §5.1). It runs its steps in the background, saving its state after
/// each step and each transition, retrying failed steps with back-off inside a 30 s processing
/// budget. While it is unfinished a reminder fires every few seconds: if its silo dies, the
/// reminder activates it on another silo, which resumes from the last saved step. Stamping is
/// idempotent per (namespace, hash), so resuming never creates a second record for an item.
/// </summary>
[PreferLocalPlacement]
public sealed partial class WorkflowGrain(
    [PersistentState("workflow", StorageNames.Default)] IPersistentState<WorkflowState> state,
    StampRegistry stamps,
    IWorkflowJournal journal,
    IEventPath events,
    GrainMetrics metrics,
    IIntelligenceAnalyzer intelligence,
    IOptions<WorkflowOptions> workflowOptions,
    IOptions<StampingOptions> stampingOptions,
    TimeProvider clock,
    DeepCopier<WorkflowState> copier,
    ILogger<WorkflowGrain> log) : Grain, IWorkflowGrain, IRemindable
{
    const string ResumeReminder = "resume";

    readonly WorkflowOptions options = workflowOptions.Value;
    IGrainTimer? run;
    bool journalBehind;

    /// <summary>The state being worked on; saved (copied into the persistent state) after every step and transition.</summary>
    WorkflowState Workflow { get; set; } = new();

    /// <summary>What callers see: the state as last saved, never a step or a move that is not yet durable.</summary>
    WorkflowView saved = null!;

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Workflow = copier.Copy(state.State);
        saved = View(state.State);
        // A new activation cannot know whether its predecessor recorded the last save (a silo may
        // have died in between): record again before finishing. Recording is idempotent.
        journalBehind = state.State.Phase is not WorkflowPhase.None;
        // Activated on a new silo after its old one died (by the reminder or by a read): carry on.
        if (!WorkflowFsm.IsFinal(state.State.Phase) && state.State.Phase is not WorkflowPhase.None) ScheduleRun();
        return Task.CompletedTask;
    }

    public async Task<WorkflowView> StartAsync(WorkflowRequest request)
    {
        // A retried start must not create a second workflow: the saved state says whether we began.
        if (state.State.Phase is not WorkflowPhase.None)
        {
            // ...but it may be the retry of a start whose run never got going: make sure it runs.
            if (!WorkflowFsm.IsFinal(state.State.Phase)) ScheduleRun();
            return saved;
        }
        var items = Check(request);

        // The reminder first: once the state is saved, something must always be able to resume it.
        await Durably(() => this.RegisterOrUpdateReminder(ResumeReminder, options.ResumeEvery, options.ResumeEvery));
        WorkflowFsm.RequireMove(WorkflowPhase.None, WorkflowPhase.Pending);
        Workflow = new WorkflowState
        {
            Phase = WorkflowPhase.Pending,
            Namespace = request.Namespace,
            Items = items,
            ItemCount = items.Count,
            EnableIntelligence = request.EnableIntelligence,
            Steps = [.. WorkflowSteps.InOrder.Select(name => new WorkflowStep { Name = name })],
            CreatedAt = Now,
        };
        await Durably(SaveAsync);
        ScheduleRun();
        return saved;
    }

    public Task<WorkflowView> GetAsync() => Task.FromResult(saved);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Phase is WorkflowPhase.None || WorkflowFsm.IsFinal(state.State.Phase)) await FinishAsync();
        else ScheduleRun();
    }

    /// <summary>
    /// Runs the workflow on the grain's own scheduler, once at a time, without blocking the caller.
    /// The run interleaves with calls (a retried start, a read, a reminder) while it awaits.
    /// </summary>
    void ScheduleRun()
    {
        if (run is not null) return;
        run = this.RegisterGrainTimer(RunAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    async Task RunAsync(CancellationToken cancellationToken)
    {
        using var scope = log.BeginScope(new Dictionary<string, object> { ["workflow_id"] = this.GetPrimaryKey().ToString("D") });
        try
        {
            // Always from the saved state: a run that stopped half-way (a failed save) left nothing behind.
            Workflow = copier.Copy(state.State);
            var budget = new ProcessingBudget(options.ProcessingTimeout, Workflow.ProcessingMs);
            if (await RunStepsAsync(budget) is { } failure)
            {
                Workflow.ErrorCode = failure.Code;
                Workflow.ErrorMessage = failure.Message;
                await MoveAsync(WorkflowPhase.Failed, budget);
            }
        }
        catch (Exception e)
        {
            // A save failed (the database is down): the reminder resumes from the last saved step.
            LogRunInterrupted(log, this.GetPrimaryKey(), e);
        }
        finally
        {
            run?.Dispose();
            run = null;
        }
        if (WorkflowFsm.IsFinal(state.State.Phase)) await FinishAsync();
    }

    /// <summary>The steps still to do, then completion; returns why the workflow failed, if it did.</summary>
    async Task<WorkflowFailedException?> RunStepsAsync(ProcessingBudget budget)
    {
        try
        {
            if (Workflow.Phase is WorkflowPhase.Pending)
            {
                await RunStepAsync(WorkflowSteps.ValidateInput, budget, ValidateAsync);
                await MoveAsync(WorkflowPhase.Processing, budget);
            }
            await RunStepAsync(WorkflowSteps.Hash, budget, HashAsync);
            await RunStepAsync(WorkflowSteps.Intelligence, budget, AnalyzeAsync);
            await RunStepAsync(WorkflowSteps.PersistStamps, budget, PersistAsync);
            await RunStepAsync(WorkflowSteps.PublishEvents, budget, PublishAsync);
            await RunStepAsync(WorkflowSteps.Complete, budget, _ => Task.FromResult(WorkflowSteps.Succeeded));
            await MoveAsync(WorkflowPhase.Completed, budget);
            return null;
        }
        catch (WorkflowFailedException failure)
        {
            return failure;
        }
    }

    /// <summary>Runs one step unless it is done, retrying failures with back-off while the budget lasts.</summary>
    async Task RunStepAsync(string name, ProcessingBudget budget, Func<CancellationToken, Task<string>> body)
    {
        var step = Workflow.Steps.Single(s => s.Name == name);
        if (WorkflowSteps.IsDone(step.Status)) return;
        step.Status = WorkflowSteps.Running;
        step.StartedAt ??= Now;

        for (var retry = 0; ; retry++)
        {
            var remaining = budget.Remaining;
            if (remaining <= TimeSpan.Zero) throw StepTimedOut(step);
            step.Attempts++;
            var started = Stopwatch.GetTimestamp();
            using var deadline = new CancellationTokenSource(remaining);
            try
            {
                step.Status = await body(deadline.Token).WaitAsync(deadline.Token);
                step.DurationMs = (step.DurationMs ?? 0) + Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (step.Status is WorkflowSteps.Succeeded) step.Error = null;
                Workflow.ProcessingMs = budget.Spent;
                await SaveAsync();
                return;
            }
            catch (Exception) when (deadline.IsCancellationRequested)
            {
                throw StepTimedOut(step);
            }
            catch (WorkflowFailedException failure)
            {
                step.Status = WorkflowSteps.Failed;
                step.Error = failure.Message;
                throw;
            }
            catch (Exception e)
            {
                step.DurationMs = (step.DurationMs ?? 0) + Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                step.Error = e.Message;
                LogStepFailed(log, name, this.GetPrimaryKey(), step.Attempts, e);
                var backoff = options.Backoff(retry);
                if (retry >= options.Retries || backoff >= budget.Remaining)
                {
                    if (retry < options.Retries) throw StepTimedOut(step);
                    step.Status = WorkflowSteps.Failed;
                    throw new WorkflowFailedException(e is DependencyUnavailableException ? ErrorCodes.DependencyUnavailable : ErrorCodes.StepFailed,
                        $"step {name} failed after {step.Attempts} attempts: {e.Message}");
                }
                await Task.Delay(backoff, clock);
            }
        }
    }

    WorkflowFailedException StepTimedOut(WorkflowStep step)
    {
        step.Status = WorkflowSteps.Failed;
        step.Error = "processing took longer than the workflow's budget";
        return new WorkflowFailedException(ErrorCodes.WorkflowTimeout, $"processing took longer than {options.ProcessingTimeout.TotalSeconds:0} s (step {step.Name})");
    }

    Task<string> ValidateAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Workflow.Items.Count; i++)
        {
            try
            {
                StampDraft.For(Workflow.Items[i], stampingOptions.Value, Now);
            }
            catch (StampCommandException refused)
            {
                throw new WorkflowFailedException(refused.Code, $"item {i}: {refused.Message}");
            }
        }
        return Task.FromResult(WorkflowSteps.Succeeded);
    }

    Task<string> HashAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        Workflow.Candidates = [.. Workflow.Items.Select(item => StampDraft.For(item, stampingOptions.Value, now).Candidate)];
        return Task.FromResult(WorkflowSteps.Succeeded);
    }

    /// <summary>The optional step: a failure or a timeout marks it degraded and never fails the workflow.</summary>
    async Task<string> AnalyzeAsync(CancellationToken cancellationToken)
    {
        var step = Workflow.Steps.Single(s => s.Name == WorkflowSteps.Intelligence);
        if (!Workflow.EnableIntelligence) return WorkflowSteps.Skipped;
        if (!intelligence.IsConfigured)
        {
            step.Error = "no intelligence service is configured";
            return WorkflowSteps.Skipped;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.IntelligenceTimeout);
            var analyses = await intelligence.AnalyzeAsync(Workflow.Items, timeout.Token).WaitAsync(timeout.Token);
            Workflow.Candidates = [.. Workflow.Candidates!.Select((record, i) => WithAnalysis(record, i < analyses.Count ? analyses[i] : null))];
            return WorkflowSteps.Succeeded;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            step.Error = e is OperationCanceledException ? $"no answer within {options.IntelligenceTimeout.TotalMilliseconds:0} ms" : e.Message;
            return WorkflowSteps.Degraded;
        }
    }

    /// <summary>The analysis goes under "analysis" in intelligence_data, if it is storable; else the record keeps what it had.</summary>
    static StampRecord WithAnalysis(StampRecord record, JsonObject? analysis)
    {
        if (analysis is null) return record;
        var data = JsonNode.Parse(record.IntelligenceDataJson)!.AsObject();
        data["analysis"] = analysis.DeepClone();
        var json = data.ToJsonString();
        try
        {
            StampCommandRules.Check(new StampCommand { Namespace = record.Namespace, Text = "", IntelligenceDataJson = json });
            return record with { IntelligenceDataJson = json };
        }
        catch (StampCommandException)
        {
            throw new InvalidOperationException("the analysis cannot be stored (too deep, or text no store can hold)");
        }
    }

    async Task<string> PersistAsync(CancellationToken cancellationToken)
    {
        var candidates = Workflow.Candidates!;
        // With an outbox, each created record's event is written with it, in the same transaction.
        var stored = await stamps.AddBatchAsync(candidates, events.WithStamps(candidates, this.GetPrimaryKey().ToString("D")), cancellationToken);
        Workflow.Results = [.. stored.Select(s => s.Record)];
        // By id, not by the store's flag: after a crash between storing and saving, the rerun finds
        // its own records as existing, and still knows they are its own.
        Workflow.Created = [.. stored.Select((s, i) => s.Record.StampId == candidates[i].StampId)];
        return WorkflowSteps.Succeeded;
    }

    async Task<string> PublishAsync(CancellationToken cancellationToken)
    {
        // With an outbox the events were written with the records, and this hands over nothing.
        var created = Workflow.Results!.Where((_, i) => Workflow.Created![i]).DistinctBy(r => r.StampId).ToList();
        try
        {
            await events.CreatedAsync(created);
            return WorkflowSteps.Succeeded;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The records are stored; the namespace's reducer also folds what it finds in the store.
            Workflow.Steps.Single(s => s.Name == WorkflowSteps.PublishEvents).Error = $"events not published ({e.Message}); the reducer folds the records from the store";
            return WorkflowSteps.Degraded;
        }
    }

    /// <summary>Moves the state machine and saves before anything else can see the move.</summary>
    async Task MoveAsync(WorkflowPhase to, ProcessingBudget budget)
    {
        WorkflowFsm.RequireMove(Workflow.Phase, to);
        Workflow.History.Add(new WorkflowTransition { From = Workflow.Phase, To = to, At = Now });
        Workflow.Phase = to;
        Workflow.ProcessingMs = budget.Spent;
        if (WorkflowFsm.IsFinal(to)) Workflow.Items = [];
        await SaveAsync();
        metrics.Moved(to);
    }

    /// <summary>Saves the working state; only once it is durable do callers see it. Then records it in the journal.</summary>
    async Task SaveAsync()
    {
        var previous = state.State;
        state.State = copier.Copy(Workflow);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
        saved = View(state.State);
        await RecordAsync();
    }

    /// <summary>The journal trails the state: a failed record is retried at the next save, and at the end by the reminder.</summary>
    async Task RecordAsync()
    {
        try
        {
            await journal.RecordAsync(saved, events.WithJournal(saved));
            journalBehind = false;
        }
        catch (Exception e)
        {
            journalBehind = true;
            LogJournalBehind(log, this.GetPrimaryKey(), e);
        }
    }

    /// <summary>A finished workflow forgets its reminder, but only once the journal has its final state too.</summary>
    async Task FinishAsync()
    {
        if (journalBehind) await RecordAsync();
        if (journalBehind) return;
        if (await this.GetReminder(ResumeReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>
    /// Turns a failed write to grain storage or the reminder table into "retry later" for the caller.
    /// A silo that is away (the reminder service's owner of this grain's range, say) is left as it
    /// is: the caller sends the call again, and it succeeds once the cluster has noticed.
    /// </summary>
    static async Task Durably(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (e is not (StampCommandException or DependencyUnavailableException) && !ClusterFailures.IsTransient(e))
        {
            throw new DependencyUnavailableException("storage", "the workflow could not be saved; retry shortly");
        }
    }

    List<StampCommand> Check(WorkflowRequest request)
    {
        WorkflowRequestRules.Check(request);
        var id = this.GetPrimaryKey();
        return [.. request.Items.Select(item => item with { WorkflowId = id })];
    }

    WorkflowView View(WorkflowState workflow) => new()
    {
        WorkflowId = this.GetPrimaryKey(),
        Namespace = workflow.Namespace,
        State = workflow.Phase,
        ItemCount = workflow.ItemCount,
        CreatedAt = workflow.CreatedAt,
        Steps = [.. workflow.Steps.Select(s => new WorkflowStepView
        {
            Name = s.Name,
            Status = s.Status,
            StartedAt = s.StartedAt,
            DurationMs = s.DurationMs,
            Error = s.Error,
            Attempts = s.Attempts,
        })],
        History = [.. workflow.History],
        Results = workflow.Phase is WorkflowPhase.Completed ? workflow.Results : null,
        Created = workflow.Phase is WorkflowPhase.Completed ? workflow.Created : null,
        ErrorCode = workflow.ErrorCode,
        ErrorMessage = workflow.ErrorMessage,
    };

    /// <summary>Processing time so far (earlier activations included) against the timeout.</summary>
    sealed class ProcessingBudget(TimeSpan limit, double spentBeforeMs)
    {
        readonly long started = Stopwatch.GetTimestamp();

        public double Spent => spentBeforeMs + Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        public TimeSpan Remaining => limit - TimeSpan.FromMilliseconds(Spent);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step {Step} of workflow {WorkflowId} failed (attempt {Attempt})")]
    static partial void LogStepFailed(ILogger logger, string step, Guid workflowId, int attempt, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow {WorkflowId} stopped before it could save; its reminder resumes it")]
    static partial void LogRunInterrupted(ILogger logger, Guid workflowId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow {WorkflowId} could not be recorded in the journal; will retry")]
    static partial void LogJournalBehind(ILogger logger, Guid workflowId, Exception error);
}
