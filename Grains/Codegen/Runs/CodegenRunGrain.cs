using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Resumption;
using Orleans.Placement;

namespace OmniBridge.Grains.Codegen.Runs;

/// <summary>
/// The coordinator of one generation run (docs/runs.md). It keeps the run's state (saved after every batch of step
/// starts and ends, so a run outlives its silo: a reminder resumes it elsewhere, as workflows resume; the generated
/// files apart, saved only when a step brings new ones and before that step's end is recorded), starts each
/// ready contract's next step on a stateless agent (at most CODEGEN_MAX_PARALLEL at once, higher priority first, the
/// validation steps of all ready contracts together), asks the router what each contract does after each step, and
/// writes every signal to the run's log and stream. Signals drive the dependencies: a contract waiting for others is
/// released by their completion signals, a quality gate by the validation step's score, never by polling.
/// </summary>
[PreferLocalPlacement]
[GrainType("codegenrun")]
public sealed partial class CodegenRunGrain : Grain, ICodegenRunGrain, IRemindable
{
    readonly IPersistentState<CodegenRunState> state;
    readonly IPersistentState<CodegenRunFiles> files;
    readonly IRunSignalLog signals;
    readonly PackageGeneration generation;
    readonly LlmGeneration llm;
    readonly GrainMetrics metrics;
    readonly RunOptions options;
    readonly TimeProvider clock;
    readonly ILogger<CodegenRunGrain> log;
    readonly ResumableWork work;
    readonly Dictionary<Task, (List<ContractRun> Contracts, string Stage)> inflight = [];
    TaskCompletionSource wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    RunGraph? graph;
    RunRouter? router;
    long activeSince;

    public CodegenRunGrain(
        [PersistentState("codegenrun", StorageNames.Default)] IPersistentState<CodegenRunState> state,
        [PersistentState("codegenrunfiles", StorageNames.Default)] IPersistentState<CodegenRunFiles> files,
        IRunSignalLog signals,
        PackageGeneration generation,
        LlmGeneration llm,
        GrainMetrics metrics,
        IOptions<RunOptions> options,
        TimeProvider clock,
        ILogger<CodegenRunGrain> log)
    {
        (this.state, this.files, this.signals, this.generation, this.llm, this.metrics, this.clock, this.log) = (state, files, signals, generation, llm, metrics, clock, log);
        this.options = options.Value;
        work = new ResumableWork(this, RunAsync);
    }

    Guid RunId => this.GetPrimaryKey();
    DateTime Now => clock.GetUtcNow().UtcDateTime;
    CodegenRunState Run => state.State;
    bool IsUnfinished => Run.Status is RunStatus.Pending or RunStatus.Processing;
    RunRequest Request => Run.Request!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Accepted but unfinished when its silo died: carry on here.
        if (IsUnfinished) work.Start();
        return Task.CompletedTask;
    }

    public async Task<RunSubmission> SubmitAsync(RunRequest request)
    {
        if (Run.Status is not RunStatus.None)
        {
            if (IsUnfinished) work.Start();
            return new RunSubmission(View(), false);
        }
        RunGraph.Of(request);
        if (request.Strategy == CodegenStrategies.Llm && !llm.Available)
            throw new CodegenRequestException(ErrorCodes.StrategyUnavailable, [new RequirementProblem("strategy",
                "the llm strategy needs a language model: set CODEGEN_LLM_ENDPOINT (and CODEGEN_LLM_MODEL); template, hybrid and auto work without one")]);
        // The reminder first: once the run is saved, something must always be able to resume it.
        await work.KeepAliveAsync(options.ResumeEvery);
        state.State = new CodegenRunState
        {
            Status = RunStatus.Pending,
            Request = request,
            CreatedAt = Now,
            Contracts = [.. request.Contracts.Select(c => new ContractRun
            {
                Name = c.Name,
                SessionId = SessionOf(RunId, c.Name),
                Steps = [.. PackageLayout.Stages.Select(s => new StepRecord { Stage = s })],
            })],
        };
        await state.WriteStateAsync();
        work.Start();
        return new RunSubmission(View(), true);
    }

    public Task<RunView> GetAsync() => Task.FromResult(View());

    public async Task<RunView> CancelAsync()
    {
        if (IsUnfinished && !Run.CancelRequested)
        {
            Run.CancelRequested = true;
            await state.WriteStateAsync();
            wake.TrySetResult();
            work.Start();
        }
        return View();
    }

    public async Task<IReadOnlyList<RunSignal>> SignalsAsync(long afterSeq, string? signalType)
    {
        var logged = await signals.ReadAsync(RunId, afterSeq, signalType);
        // Signals saved with the state but not yet in the log are the run's too.
        var last = logged.Count > 0 ? logged[^1].Seq : afterSeq;
        return [.. logged, .. Run.Unsent.Where(s => s.Seq > last && (signalType is null || s.SignalType == signalType))];
    }

    public Task<IReadOnlyList<RoutingDecisionView>> RoutingAsync() => Task.FromResult<IReadOnlyList<RoutingDecisionView>>([.. Run.Decisions]);

    public Task<IReadOnlyList<RunPackage>> PackagesAsync() =>
        Task.FromResult<IReadOnlyList<RunPackage>>([.. Run.Contracts.Where(c => c.Result is not null)
            .Select(c => new RunPackage(c.Name, c.Result! with { Files = PackageLayout.InOrder(FilesOf(c), f => f.Path) }))]);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (IsUnfinished) work.Start();
        else await work.ForgetAsync();
    }

    /// <summary>One run of the coordinator from the saved state; a failed save leaves the run to its reminder.</summary>
    async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!IsUnfinished) return;
        using var scope = log.BeginScope(new Dictionary<string, object> { ["codegen_run_id"] = RunId.ToString("D") });
        activeSince = Stopwatch.GetTimestamp();
        try
        {
            graph = RunGraph.Of(Request);
            router = new RunRouter(Request.RoutingRules);
            await HandOverAsync();
            Begin();
            await FlushAsync();
            await LoopAsync();
            Finish();
            await FlushAsync();
            metrics.RunFinished(Run.Status, WallMs());
            await work.ForgetAsync();
        }
        catch (Exception e)
        {
            // A save or the log failed: start again from the saved state on the next activation (the reminder's).
            LogRunInterrupted(log, RunId, e);
            DeactivateOnIdle();
        }
    }

    /// <summary>Signals saved with the state before the last activation ended, appended now (appending twice is harmless).</summary>
    async Task HandOverAsync()
    {
        if (Run.Unsent.Count == 0) return;
        await signals.AppendAsync(RunId, Run.Unsent);
        await PublishAsync(Run.Unsent);
        Run.Unsent.Clear();
    }

    /// <summary>From the saved state: steps that were running when the last activation ended run again; strategies and the language model are settled once.</summary>
    void Begin()
    {
        Run.Status = RunStatus.Processing;
        foreach (var c in Run.Contracts)
            foreach (var step in c.Steps.Where(s => s.Status == StepStatus.Running)) step.Status = StepStatus.Pending;
        if (Run.Contracts.All(c => c.Steps[0].Attempts == 0))
        {
            foreach (var c in Run.Contracts)
            {
                var requirements = graph![c.Name].Requirements;
                var notes = new List<string>();
                try
                {
                    c.Strategy = generation.Resolve(Request.Strategy, NodePlan.For(requirements), notes);
                }
                catch (Exception e) when (e is KeyNotFoundException or ArgumentException or InvalidOperationException)
                {
                    c.Strategy = CodegenStrategies.Template; // the parse step reports what is wrong with the requirements
                }
                if (c.Strategy == CodegenStrategies.Hybrid)
                {
                    notes.Add("runs generate hybrid contracts from templates (the language model's refinement is /generate's only)");
                    c.Strategy = CodegenStrategies.Template;
                }
                c.Notes.AddRange(notes);
            }
            if (Run.Contracts.Any(c => c.Strategy == CodegenStrategies.Llm) || Request.Strategy is CodegenStrategies.Llm or CodegenStrategies.Hybrid)
            {
                // The resource dependency of the llm strategy: checked, not assumed.
                Run.LanguageModelAvailable = llm.Available;
                Signal(RunSignals.DependencyResolved, new JsonObject
                {
                    ["dependency_type"] = "resource_availability", ["resource"] = "language_model", ["available"] = llm.Available,
                });
            }
        }
        foreach (var c in Run.Contracts.Where(c => c.Status is RunStatus.Pending)) c.Status = RunStatus.Processing;
    }

    async Task LoopAsync()
    {
        while (true)
        {
            if (Run.CancelRequested) CancelUnstarted();
            else Launch();
            await FlushAsync();
            if (inflight.Count == 0 && !Run.Contracts.Any(IsOpen)) return;
            var deadline = NextDeadline();
            if (inflight.Count == 0 && deadline is null)
            {
                // Nothing running, nothing due: whatever is open waits on something that failed without telling it.
                foreach (var c in Run.Contracts.Where(IsOpen)) Fail(c, ErrorCodes.StepFailed, "the run could not make progress for this contract");
                continue;
            }
            wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var waits = new List<Task>(inflight.Keys) { wake.Task };
            if (deadline is { } due) waits.Add(Task.Delay(Max(TimeSpan.Zero, due - Now), clock));
            await Task.WhenAny(waits);
            var ended = new List<(List<ContractRun> Contracts, string Stage, IReadOnlyList<StepOutcome> Outcomes)>();
            foreach (var done in inflight.Keys.Where(t => t.IsCompleted).ToList())
            {
                var (contracts, stage) = inflight[done];
                inflight.Remove(done);
                ended.Add((contracts, stage, await (Task<IReadOnlyList<StepOutcome>>)done));
            }
            await KeepFilesAsync(ended.SelectMany(e => e.Contracts.Zip(e.Outcomes)));
            foreach (var (contracts, stage, outcomes) in ended)
                for (var i = 0; i < contracts.Count; i++) Completed(contracts[i], stage, outcomes[i]);
            ExpireWaits();
        }
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    static bool IsOpen(ContractRun c) => c.Status is RunStatus.Pending or RunStatus.Processing;

    bool IsBusy(ContractRun c) => inflight.Values.Any(v => v.Contracts.Contains(c));

    DateTime? NextDeadline()
    {
        var due = Run.Contracts.Where(IsOpen).SelectMany(c => new[] { c.RetryAt, c.WaitingSince + options.DependencyTimeout }).OfType<DateTime>().ToList();
        return due.Count == 0 ? null : due.Min();
    }

    /// <summary>Starts every ready step that fits in the free slots, higher priority first.</summary>
    void Launch()
    {
        var free = options.MaxParallel - inflight.Values.Sum(v => v.Contracts.Count);
        if (free <= 0) return;
        var ready = new List<ContractRun>();
        foreach (var c in Run.Contracts.Where(c => IsOpen(c) && !IsBusy(c)).OrderByDescending(c => graph![c.Name].Priority))
            if (Ready(c)) ready.Add(c);
        var validating = ready.Where(c => Stage(c) == PackageLayout.ValidateQuality).Take(free).ToList();
        // One python3 for every contract that can share it: validation waits while another contract is still in a
        // template generation step (milliseconds away from validation) rather than starting a second process beside
        // the first on the same cores. Contracts waiting for dependencies, a retry or a language model do not hold it.
        var validateAt = PackageLayout.StageIndex(PackageLayout.ValidateQuality);
        var generating = Run.Contracts.Any(c => IsOpen(c) && c.Next < validateAt && c.Strategy != CodegenStrategies.Llm
            && (IsBusy(c) || ready.Contains(c)));
        if (validating.Count > 0 && !generating)
        {
            free -= validating.Count;
            Start(validating, PackageLayout.ValidateQuality);
        }
        foreach (var c in ready.Where(c => Stage(c) != PackageLayout.ValidateQuality).Take(Math.Max(0, free)))
            Start([c], Stage(c));
    }

    static string Stage(ContractRun c) => PackageLayout.Stages[c.Next];

    /// <summary>Whether the contract's next step may start now: not waiting for a retry, its dependencies done, its gates passed.</summary>
    bool Ready(ContractRun c)
    {
        while (c.Next < PackageLayout.Stages.Count && c.Steps[c.Next].Status == StepStatus.Skipped) c.Next++;
        if (c.Next >= PackageLayout.Stages.Count)
        {
            Fail(c, ErrorCodes.RoutedError, "the router skipped the package step: there is no package");
            return false;
        }
        if (c.RetryAt is { } at && at > Now) return false;
        c.RetryAt = null;
        var stage = Stage(c);
        if (stage == PackageLayout.GenerateModel && graph![c.Name].DependsOn.Count > 0 && !DependenciesDone(c)) return false;
        if (stage == PackageLayout.PackageNode && graph![c.Name].Gates.Count > 0)
        {
            if (c.GatesPassed is null)
            {
                Fail(c, ErrorCodes.QualityGateFailed, "no quality score to check the gate against (the validation step did not run)");
                return false;
            }
            if (c.GatesPassed == false) return false;
        }
        return true;
    }

    /// <summary>Whether every dependency completed; starts the contract's wait when one has not (a signal ends it).</summary>
    bool DependenciesDone(ContractRun c)
    {
        var pending = graph![c.Name].DependsOn.Select(d => Run.Contracts.Single(x => x.Name == d)).Where(d => d.Status != RunStatus.Completed).ToList();
        if (pending.Count == 0) return true;
        if (c.WaitingSince is null)
        {
            c.WaitingSince = Now;
            c.Steps[c.Next].Status = StepStatus.Waiting;
            c.Steps[c.Next].StartedAt ??= Now;
            Signal(RunSignals.InterAgentMessage, new JsonObject
            {
                ["message_type"] = "waiting_for_dependencies", ["contract"] = c.Name, ["stage"] = Stage(c),
                ["dependencies"] = new JsonArray([.. pending.Select(d => (JsonNode)d.Name)]),
            }, sender: c.Name, recipients: [.. pending.Select(d => d.Name)]);
        }
        return false;
    }

    void Start(List<ContractRun> contracts, string stage)
    {
        var assignments = new List<StepAssignment>();
        foreach (var c in contracts)
        {
            var step = c.Steps[c.Next];
            step.Status = StepStatus.Running;
            step.Attempts++;
            step.StartedAt ??= Now;
            var context = Context(c, stage, step.Attempts);
            assignments.Add(new StepAssignment
            {
                Stage = stage,
                Requirements = graph![c.Name].Requirements,
                Strategy = c.Strategy,
                ValidationLevel = Request.ValidationLevel,
                Files = stage is PackageLayout.ValidateQuality or PackageLayout.PackageNode ? FilesOf(c) : [],
                Context = context,
                Quorum = stage == PackageLayout.ValidateQuality ? Request.Quorum : null,
            });
            Signal(RunSignals.AgentInitialized, new JsonObject
            {
                ["contract"] = c.Name, ["stage"] = stage, ["attempt"] = step.Attempts, ["context_tokens"] = context.EstimatedTokens,
            }, sender: AgentId(c, stage));
        }
        var agent = GrainFactory.GetGrain<ICodegenAgentGrain>(0);
        var timeout = options.StepTimeout;
        inflight[Call(agent, stage, assignments, timeout)] = (contracts, stage);
    }

    /// <summary>The agent's answer, or a failed outcome for each contract when the call failed or overran its time.</summary>
    static async Task<IReadOnlyList<StepOutcome>> Call(ICodegenAgentGrain agent, string stage, List<StepAssignment> assignments, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return stage == PackageLayout.ValidateQuality
                ? await agent.ValidateAsync(assignments, cancel.Token).WaitAsync(timeout)
                : [await agent.ExecuteAsync(assignments[0], cancel.Token).WaitAsync(timeout)];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var why = e is TimeoutException or OperationCanceledException ? $"the step took longer than {timeout.TotalSeconds:0.#} s" : $"the agent failed: {e.Message}";
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return [.. assignments.Select(_ => new StepOutcome { FailureCode = ErrorCodes.StepFailed, Failure = why, DurationMs = ms })];
        }
    }

    ContextPackage Context(ContractRun c, string stage, int attempt)
    {
        var contract = graph![c.Name];
        var direct = contract.DependsOn.ToHashSet(StringComparer.Ordinal);
        var full = new ContextPackage
        {
            Metadata = new ContextMetadata { RunId = RunId, AgentId = AgentId(c, stage), Contract = c.Name, Stage = stage, Attempt = attempt, CreatedAt = Now },
            Assignment = new ContextAssignment
            {
                Objective = $"{stage} for contract {c.Name} ({contract.Requirements.NodeType} node {contract.Requirements.ServiceName})",
                Tasks = stage == PackageLayout.ValidateQuality ? [$"validate at level {Request.ValidationLevel}"] : PackageLayout.FilesOf.GetValueOrDefault(stage) ?? [],
                DependsOn = contract.DependsOn,
            },
            NamingConventions = ContextPackages.NamingOf(c.Name, contract.Requirements),
            TypeRegistry = [.. graph.Upstream(c.Name).Select(u => ContextPackages.TypesOf(u, graph[u].Requirements, direct.Contains(u)))],
            Patterns = ContextPackages.PatternsOf(contract.Requirements),
            Limits = new ResourceLimits
            {
                StepTimeoutMs = (int)options.StepTimeout.TotalMilliseconds, MaxAttempts = options.MaxAttempts, MaxParallel = options.MaxParallel,
            },
        };
        return ContextPackages.Build(full, options.ContextTokens);
    }

    static string AgentId(ContractRun c, string stage) => $"{c.Name}/{stage}";

    /// <summary>A step's end: its record, its signal, the router's decision and what the decision does.</summary>
    void Completed(ContractRun c, string stage, StepOutcome outcome)
    {
        var step = c.Steps[c.Next];
        var succeeded = outcome.FailureCode is null;
        step.DurationMs += outcome.DurationMs;
        step.FinishedAt = Now;
        metrics.RunStep(stage, succeeded, outcome.DurationMs);
        if (succeeded)
        {
            c.NodeName = outcome.NodeName ?? c.NodeName;
            if (stage == PackageLayout.ValidateQuality)
            {
                c.QualityScore = outcome.QualityScore;
                c.ValidationErrors = [.. outcome.Errors];
                c.ValidationPassed = outcome.Errors.Count == 0;
                c.Quorum = outcome.Quorum;
                c.Notes.AddRange(outcome.Notes);
            }
            if (stage == PackageLayout.PackageNode) c.Result = Package(c);
        }
        var expected = PackageLayout.FilesOf.GetValueOrDefault(stage) ?? [];
        var route = new RouteState
        {
            Contract = c.Name,
            Stage = stage,
            NextStage = c.Next + 1 < PackageLayout.Stages.Count ? PackageLayout.Stages[c.Next + 1] : null,
            Succeeded = succeeded,
            ErrorCode = outcome.FailureCode,
            Error = outcome.Failure,
            Attempts = step.Attempts,
            MaxAttempts = options.MaxAttempts,
            Priority = graph![c.Name].Priority,
            QualityScore = c.QualityScore,
            ValidationLevel = Request.ValidationLevel,
            Strategy = c.Strategy,
            LanguageModelAvailable = c.Strategy == CodegenStrategies.Llm ? Run.LanguageModelAvailable : null,
            NodeType = graph[c.Name].Requirements.NodeType,
            Operations = graph[c.Name].Requirements.Operations.Count,
            FilesExpected = succeeded && c.Strategy != CodegenStrategies.Llm ? expected.Count : 0,
            FilesMade = expected.Count(path => FilesOf(c).Any(f => f.Path == path)),
            ReadyTogether = c.Next + 1 < PackageLayout.Stages.Count
                ? [.. Run.Contracts.Where(o => o != c && IsOpen(o) && o.Next == c.Next + 1 && !IsBusy(o)).Select(o => o.Name)] : [],
            DurationMs = outcome.DurationMs,
        };
        var started = Stopwatch.GetTimestamp();
        var vote = router!.Decide(route);
        metrics.Routed(vote.Strategy, vote.Decision, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Run.Decisions.Add(new RoutingDecisionView
        {
            Seq = Run.Decisions.Count + 1, Contract = c.Name, AfterStage = stage, Decision = vote.Decision, Strategy = vote.Strategy,
            Confidence = vote.Confidence, Reasoning = vote.Reasoning, NextTask = vote.NextTask, At = Now,
        });
        var recovered = succeeded && step.Attempts > 1;
        switch (vote.Decision)
        {
            case RouteDecisions.Retry:
                step.Status = StepStatus.Pending;
                step.Error = outcome.Failure;
                var delays = options.RetryDelays;
                c.RetryAt = Now + (delays.Count == 0 ? TimeSpan.Zero : delays[Math.Min(step.Attempts - 1, delays.Count - 1)]);
                break;
            case RouteDecisions.Error:
                step.Status = StepStatus.Failed;
                step.Error = outcome.Failure ?? vote.Reasoning;
                break;
            default:
                step.Status = StepStatus.Completed;
                break;
        }
        Signal(RunSignals.AgentCompleted, new JsonObject
        {
            ["contract"] = c.Name, ["stage"] = stage, ["status"] = step.Status.Wire(), ["attempt"] = step.Attempts,
            ["duration_ms"] = Math.Round(outcome.DurationMs, 3), ["quality_score"] = outcome.QualityScore, ["error"] = outcome.Failure,
            ["decision"] = vote.Decision,
        }, sender: AgentId(c, stage));
        if (recovered)
            Signal(RunSignals.ErrorRecoveryCompleted, new JsonObject { ["contract"] = c.Name, ["stage"] = stage, ["attempts"] = step.Attempts }, sender: AgentId(c, stage));
        switch (vote.Decision)
        {
            case RouteDecisions.Retry:
                return;
            case RouteDecisions.Error:
                Fail(c, outcome.FailureCode is { } code && code != ErrorCodes.StepFailed ? code : succeeded ? ErrorCodes.RoutedError : ErrorCodes.StepFailed,
                    outcome.Failure ?? vote.Reasoning);
                return;
            case RouteDecisions.Skip:
                if (Target(vote.NextTask, c.Next + 1) is { } skipped && skipped != PackageLayout.StageIndex(PackageLayout.PackageNode))
                    c.Steps[skipped].Status = StepStatus.Skipped;
                break;
            case RouteDecisions.Branch:
                c.Notes.Add($"the {c.Strategy} strategy fell back to template: {vote.Reasoning}");
                c.Strategy = CodegenStrategies.Template;
                break;
            case RouteDecisions.End when stage != PackageLayout.PackageNode:
                for (var i = c.Next + 1; i < PackageLayout.Stages.Count - 1; i++) c.Steps[i].Status = StepStatus.Skipped;
                break;
        }
        c.Next++;
        if (stage == PackageLayout.ValidateQuality) Gate(c);
        if (c.Next >= PackageLayout.Stages.Count) Complete(c);
        AnnounceStages();
    }

    static int? Target(string? stage, int fallback) => stage is null ? fallback : PackageLayout.StageIndex(stage) is var i and >= 0 ? i : fallback;

    /// <summary>The quality gates, fed by the validation step's score (the agent_completed signal just sent carries it).</summary>
    void Gate(ContractRun c)
    {
        var gates = graph![c.Name].Gates;
        if (gates.Count == 0) return;
        var score = c.QualityScore ?? 0;
        var unmet = gates.FirstOrDefault(g => score < g.Threshold);
        c.GatesPassed = unmet is null;
        Signal(RunSignals.DependencyResolved, new JsonObject
        {
            ["dependency_type"] = "quality_gate", ["contract"] = c.Name, ["quality_score"] = score,
            ["threshold"] = gates.Max(g => g.Threshold), ["passed"] = unmet is null,
        }, recipients: [c.Name]);
        if (unmet is not null)
            Fail(c, ErrorCodes.QualityGateFailed, $"quality score {score:0.####} is below the gate's threshold {unmet.Threshold:0.####}: the package was not made");
    }

    /// <summary>The contract's result without its files: they stay in their own state, and <see cref="PackagesAsync"/> joins them.</summary>
    GenerationResult Package(ContractRun c)
    {
        var contract = graph![c.Name];
        var plan = NodePlan.For(contract.Requirements);
        var findings = new PackageFindings(c.ValidationErrors, []);
        var started = c.Steps.Select(s => s.StartedAt).OfType<DateTime>().DefaultIfEmpty(Now).Min();
        return PackageGeneration.Assemble(c.SessionId, plan, c.Strategy, [], findings, Request.ValidationLevel, c.Notes, (Now - started).TotalMilliseconds) with { Quorum = c.Quorum };
    }

    void Complete(ContractRun c)
    {
        c.Status = RunStatus.Completed;
        c.WaitingSince = null;
        // The completion releases whoever waits for this contract: resolution follows the signal.
        foreach (var dependent in graph!.Dependents(c.Name).Select(d => Run.Contracts.Single(x => x.Name == d)).Where(IsOpen))
        {
            if (dependent.WaitingSince is null) continue;
            var pending = graph[dependent.Name].DependsOn.Where(d => Run.Contracts.Single(x => x.Name == d).Status != RunStatus.Completed).ToList();
            Signal(RunSignals.DependencyResolved, new JsonObject
            {
                ["dependency_type"] = "agent_completion", ["contract"] = dependent.Name, ["target"] = c.Name,
                ["remaining"] = new JsonArray([.. pending.Select(p => (JsonNode)p)]),
            }, recipients: [dependent.Name]);
            if (pending.Count > 0) continue;
            dependent.WaitingSince = null;
            dependent.Steps[dependent.Next].Status = StepStatus.Pending;
        }
    }

    /// <summary>The contract fails; what is left of it is skipped, and every contract that needs it fails in turn.</summary>
    void Fail(ContractRun c, string code, string message)
    {
        if (!IsOpen(c)) return;
        c.Status = RunStatus.Failed;
        c.ErrorCode = code;
        c.Error = message;
        c.WaitingSince = null;
        c.RetryAt = null;
        foreach (var step in c.Steps.Where(s => s.Status is StepStatus.Pending or StepStatus.Waiting)) step.Status = StepStatus.Skipped;
        foreach (var dependent in graph!.Dependents(c.Name).Select(d => Run.Contracts.Single(x => x.Name == d)).Where(IsOpen))
        {
            Signal(RunSignals.DependencyResolved, new JsonObject
            {
                ["dependency_type"] = "agent_completion", ["contract"] = dependent.Name, ["target"] = c.Name, ["failed"] = true,
            }, recipients: [dependent.Name]);
            Fail(dependent, ErrorCodes.DependencyFailed, $"depends on {c.Name}, which failed ({code})");
        }
        AnnounceStages();
    }

    /// <summary>Contracts whose wait for their dependencies ran out fail with DEPENDENCY_TIMEOUT.</summary>
    void ExpireWaits()
    {
        foreach (var c in Run.Contracts.Where(c => IsOpen(c) && c.WaitingSince + options.DependencyTimeout <= Now).ToList())
        {
            if (c.Steps[c.Next].Status == StepStatus.Waiting) c.Steps[c.Next].Status = StepStatus.Failed;
            Fail(c, ErrorCodes.DependencyTimeout, $"its dependencies did not complete within {options.DependencyTimeout.TotalSeconds:0.#} s");
        }
    }

    void CancelUnstarted()
    {
        foreach (var c in Run.Contracts.Where(c => IsOpen(c) && !IsBusy(c)))
        {
            c.Status = RunStatus.Cancelled;
            c.ErrorCode = ErrorCodes.Cancelled;
            c.Error = "the run was cancelled";
            c.WaitingSince = null;
            foreach (var step in c.Steps.Where(s => s.Status is StepStatus.Pending or StepStatus.Waiting)) step.Status = StepStatus.Cancelled;
        }
    }

    /// <summary>A stage_completed signal for each stage that has just finished: every contract's step in it succeeded or was skipped.</summary>
    void AnnounceStages()
    {
        foreach (var stage in Stages().Where(s => s.Status == RunStatus.Completed && !Run.StagesAnnounced.Contains(s.Name)))
        {
            Run.StagesAnnounced.Add(stage.Name);
            metrics.RunStage(stage.Name, stage.DurationMs);
            Signal(RunSignals.StageCompleted, new JsonObject
            {
                ["stage"] = stage.Name, ["duration_ms"] = Math.Round(stage.DurationMs, 3),
                ["completed"] = stage.Steps.Count(s => s.Status == StepStatus.Completed), ["skipped"] = stage.Steps.Count(s => s.Status == StepStatus.Skipped),
            });
        }
    }

    void Finish()
    {
        Run.Status = Run.CancelRequested && Run.Contracts.Any(c => c.Status == RunStatus.Cancelled) ? RunStatus.Cancelled
            : Run.Contracts.All(c => c.Status == RunStatus.Completed) ? RunStatus.Completed : RunStatus.Failed;
        Run.WallMsBefore = WallMs();
        activeSince = Stopwatch.GetTimestamp();
        Run.FinishedAt = Now;
    }

    void Signal(string type, JsonObject data, string sender = RunSignals.Coordinator, IReadOnlyList<string>? recipients = null) =>
        Run.Unsent.Add(new RunSignal
        {
            Seq = ++Run.LastSeq,
            SignalId = Guid.CreateVersion7(),
            SignalType = type,
            Sender = sender,
            Recipients = recipients ?? [],
            At = Now,
            Data = data.ToJsonString(),
        });

    List<GeneratedFile> FilesOf(ContractRun c) => files.State.ByContract.GetValueOrDefault(c.Name) ?? [];

    /// <summary>
    /// The files that ended steps brought, kept (a new file of the same path replaces the old) and saved before the steps'
    /// ends are recorded: a step is never recorded as done without its files, and the run's own state stays small, so
    /// that saving it (which comes before every signal's publication) is quick.
    /// </summary>
    async Task KeepFilesAsync(IEnumerable<(ContractRun Contract, StepOutcome Outcome)> ended)
    {
        var changed = false;
        foreach (var (c, outcome) in ended.Where(e => e.Outcome.FailureCode is null && e.Outcome.Files.Count > 0))
        {
            files.State.ByContract[c.Name] = [.. FilesOf(c).Where(f => !outcome.Files.Any(n => n.Path == f.Path)), .. outcome.Files];
            changed = true;
        }
        if (changed) await files.WriteStateAsync();
    }

    /// <summary>
    /// Saves the state (with its new signals: from here they survive the silo), publishes the signals on the run's
    /// stream, then appends them to the log. Until they are in the log, replays take them from the state
    /// (<see cref="SignalsAsync"/>), and a resumed coordinator appends them again (<see cref="HandOverAsync"/>).
    /// </summary>
    async Task FlushAsync()
    {
        Run.WallMsBefore = WallMs();
        activeSince = Stopwatch.GetTimestamp();
        await state.WriteStateAsync();
        if (Run.Unsent.Count == 0) return;
        var batch = Run.Unsent.ToList();
        await PublishAsync(batch);
        await signals.AppendAsync(RunId, batch);
        Run.Unsent.RemoveAll(batch.Contains);
    }

    async Task PublishAsync(IReadOnlyList<RunSignal> batch)
    {
        var stream = this.GetStreamProvider(RunSignals.Provider).GetStream<RunSignal>(StreamId.Create(RunSignals.Namespace, RunId));
        foreach (var signal in batch)
        {
            await stream.OnNextAsync(signal);
            metrics.SignalPropagated(signal.SignalType, (Now - signal.At).TotalMilliseconds);
        }
    }

    double WallMs() => Run.Status is RunStatus.Pending or RunStatus.Processing && activeSince != 0
        ? Run.WallMsBefore + Stopwatch.GetElapsedTime(activeSince).TotalMilliseconds : Run.WallMsBefore;

    IReadOnlyList<StageView> Stages() => [.. PackageLayout.Stages.Select((name, i) =>
    {
        var steps = Run.Contracts.Select(c => (c.Name, Step: c.Steps[i])).ToList();
        var started = steps.Select(s => s.Step.StartedAt).OfType<DateTime>().ToList();
        var finished = steps.Select(s => s.Step.FinishedAt).OfType<DateTime>().ToList();
        var status = steps.Any(s => s.Step.Status == StepStatus.Failed) ? RunStatus.Failed
            : steps.All(s => s.Step.Status is StepStatus.Completed or StepStatus.Skipped) ? (started.Count == 0 ? RunStatus.Pending : RunStatus.Completed)
            : steps.All(s => s.Step.Status is StepStatus.Completed or StepStatus.Skipped or StepStatus.Cancelled) && steps.Any(s => s.Step.Status == StepStatus.Cancelled) ? RunStatus.Cancelled
            : steps.Any(s => s.Step.Status is StepStatus.Running or StepStatus.Waiting) || started.Count > 0 ? RunStatus.Processing : RunStatus.Pending;
        return new StageView
        {
            Name = name,
            Status = status,
            StartedAt = started.Count == 0 ? null : started.Min(),
            DurationMs = started.Count == 0 || finished.Count == 0 ? 0 : Math.Max(0, (finished.Max() - started.Min()).TotalMilliseconds),
            Steps = [.. steps.Select(s => new StepView { Contract = s.Name, Status = s.Step.Status, DurationMs = Math.Round(s.Step.DurationMs, 3), Attempts = s.Step.Attempts, Error = s.Step.Error })],
        };
    })];

    RunView View()
    {
        if (Run.Status is RunStatus.None) return new RunView { RunId = RunId };
        var sum = Run.Contracts.Sum(c => c.Steps.Sum(s => s.DurationMs));
        var wall = WallMs();
        return new RunView
        {
            RunId = RunId,
            Status = Run.Status,
            Stages = Stages(),
            Contracts = [.. Run.Contracts.Select(c => new RunContractView
            {
                Name = c.Name, Status = c.Status, SessionId = c.SessionId, NodeName = c.NodeName, ValidationPassed = c.ValidationPassed,
                QualityScore = c.QualityScore, Error = c.Error, ErrorCode = c.ErrorCode, Quorum = c.Quorum, DependsOn = graph?[c.Name].DependsOn ?? Request.Contracts.Single(x => x.Name == c.Name).DependsOn,
                ValidationErrors = c.ValidationErrors, StrategyUsed = c.Strategy,
            })],
            WallMs = Math.Round(wall, 3),
            SumStepMs = Math.Round(sum, 3),
            Speedup = wall > 0 ? Math.Round(sum / wall, 3) : 0,
            CreatedAt = Run.CreatedAt,
            Owner = Request.Owner,
            Strategy = Request.Strategy,
            ValidationLevel = Request.ValidationLevel,
        };
    }

    /// <summary>A contract's session id: the same for the same run and contract, wherever and however often it is computed.</summary>
    static Guid SessionOf(Guid runId, string contract)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{runId:D}/{contract}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Codegen run {RunId} stopped before it could save; its reminder resumes it")]
    static partial void LogRunInterrupted(ILogger logger, Guid runId, Exception error);
}
