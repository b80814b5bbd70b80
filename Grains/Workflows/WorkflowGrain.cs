using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Stamping;
using Orleans.Placement;

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
    IStampStore stamps,
    IWorkflowJournal journal,
    IIntelligenceAnalyzer intelligence,
    IOptions<WorkflowOptions> workflowOptions,
    IOptions<StampingOptions> stampingOptions,
    TimeProvider clock,
    ILogger<WorkflowGrain> log) : Grain, IWorkflowGrain, IRemindable
{
    const string ResumeReminder = "resume";
    public const int MaxItems = 1000;

    readonly WorkflowOptions options = workflowOptions.Value;
    IGrainTimer? run;

    WorkflowState Workflow => state.State;
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Activated on a new silo after its old one died (by the reminder or by a read): carry on.
        if (Workflow.Phase is WorkflowPhase.Pending or WorkflowPhase.Processing) ScheduleRun();
        return Task.CompletedTask;
    }

    public async Task<WorkflowView> StartAsync(WorkflowRequest request)
    {
        // A retried start must not create a second workflow: the state says whether we began.
        if (Workflow.Phase is not WorkflowPhase.None) return View();
        var items = Check(request);

        WorkflowFsm.RequireMove(WorkflowPhase.None, WorkflowPhase.Pending);
        state.State = new WorkflowState
        {
            Phase = WorkflowPhase.Pending,
            Namespace = request.Namespace,
            Items = items,
            ItemCount = items.Count,
            EnableIntelligence = request.EnableIntelligence,
            Steps = [.. WorkflowSteps.InOrder.Select(name => new WorkflowStep { Name = name })],
            CreatedAt = Now,
        };
        await SaveAsync();
        await this.RegisterOrUpdateReminder(ResumeReminder, options.ResumeEvery, options.ResumeEvery);
        ScheduleRun();
        return View();
    }

    public Task<WorkflowView> GetAsync() => Task.FromResult(View());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Workflow.Phase is WorkflowPhase.Pending or WorkflowPhase.Processing) ScheduleRun();
        else await ForgetReminderAsync();
    }

    /// <summary>Runs the workflow on the grain's own scheduler, once at a time, without blocking the caller.</summary>
    void ScheduleRun()
    {
        if (run is not null) return;
        run = this.RegisterGrainTimer(RunAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = false });
    }

    async Task RunAsync(CancellationToken cancellationToken)
    {
        var budget = new ProcessingBudget(options.ProcessingTimeout, Workflow.ProcessingMs);
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
        }
        catch (WorkflowFailedException failure)
        {
            Workflow.ErrorCode = failure.Code;
            Workflow.ErrorMessage = failure.Message;
            await MoveAsync(WorkflowPhase.Failed, budget);
        }
        catch (Exception e)
        {
            // Saving the state itself failed (the database is down): the reminder will resume from the last saved step.
            LogRunInterrupted(log, this.GetPrimaryKey(), e);
        }
        finally
        {
            run?.Dispose();
            run = null;
            if (WorkflowFsm.IsFinal(Workflow.Phase)) await ForgetReminderAsync();
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
                    throw new WorkflowFailedException(e is DependencyUnavailableException ? "DEPENDENCY_UNAVAILABLE" : "STEP_FAILED",
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
        return new WorkflowFailedException("WORKFLOW_TIMEOUT", $"processing took longer than {options.ProcessingTimeout.TotalSeconds:0} s (step {step.Name})");
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
        var stored = await stamps.AddBatchAsync(candidates, cancellationToken);
        Workflow.Results = [.. stored.Select(s => s.Record)];
        // By id, not by the store's flag: after a crash between storing and saving, the rerun finds
        // its own records as existing, and still knows they are its own.
        Workflow.Created = [.. stored.Select((s, i) => s.Record.StampId == candidates[i].StampId)];
        return WorkflowSteps.Succeeded;
    }

    async Task<string> PublishAsync(CancellationToken cancellationToken)
    {
        var created = Workflow.Results!.Where((_, i) => Workflow.Created![i]).DistinctBy(r => r.StampId).ToList();
        try
        {
            await StampEvents.PublishCreatedAsync(this.GetStreamProvider(StampStreams.Provider), created);
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
    }

    async Task SaveAsync()
    {
        await state.WriteStateAsync();
        await journal.RecordAsync(View());
    }

    async Task ForgetReminderAsync()
    {
        if (await this.GetReminder(ResumeReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    List<StampCommand> Check(WorkflowRequest request)
    {
        if (!NamespaceName.IsValid(request.Namespace)) throw new StampCommandException("INVALID_NAMESPACE", "namespace", NamespaceName.Rule);
        if (request.Items.Count == 0) throw new StampCommandException("EMPTY_BATCH", "items", "the workflow has no items");
        if (request.Items.Count > MaxItems) throw new StampCommandException("BATCH_TOO_LARGE", "items", $"a workflow holds at most {MaxItems} items");
        var id = this.GetPrimaryKey();
        return [.. request.Items.Select((item, i) => item.Namespace == request.Namespace
            ? item with { WorkflowId = id }
            : throw new StampCommandException("VALIDATION_ERROR", $"items[{i}].namespace", "every item of a workflow is in the workflow's namespace"))];
    }

    WorkflowView View() => new()
    {
        WorkflowId = this.GetPrimaryKey(),
        Namespace = Workflow.Namespace,
        State = Workflow.Phase,
        ItemCount = Workflow.ItemCount,
        CreatedAt = Workflow.CreatedAt,
        Steps = [.. Workflow.Steps.Select(s => new WorkflowStepView
        {
            Name = s.Name,
            Status = s.Status,
            StartedAt = s.StartedAt,
            DurationMs = s.DurationMs,
            Error = s.Error,
            Attempts = s.Attempts,
        })],
        History = [.. Workflow.History],
        Results = Workflow.Phase is WorkflowPhase.Completed ? Workflow.Results : null,
        ErrorCode = Workflow.ErrorCode,
        ErrorMessage = Workflow.ErrorMessage,
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
}
