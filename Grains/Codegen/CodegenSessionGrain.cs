using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Ports;
using Orleans.Placement;

namespace OmniBridge.Grains.Codegen;

/// <summary>
/// One code generation (SPEC §8). The stages run in order: parse the contract (plan the node:
/// variant, mixins, subcontracts), then the models, the node with its validation and the tests,
/// rendered in parallel on stateless workers, then the validation pipeline, then the package. The
/// status is saved when the session is accepted, when it starts processing and when it ends, so a
/// session outlives its silo: a reminder resumes an unfinished one elsewhere, and a finished one is
/// read back with its files. Progress between saves is visible to readers while it runs.
/// </summary>
[PreferLocalPlacement]
public sealed partial class CodegenSessionGrain(
    [PersistentState("codegen", StorageNames.Default)] IPersistentState<CodegenSessionState> state,
    LlmGeneration llm,
    IEventPath events,
    GrainMetrics metrics,
    IOptions<CodegenOptions> options,
    TimeProvider clock,
    ILogger<CodegenSessionGrain> log) : Grain, ICodegenSessionGrain, IRemindable
{
    const string ResumeReminder = "resume";
    readonly List<OutboxEvent> unsent = [];
    IGrainTimer? resume;

    /// <summary>What readers see: the saved state, with the stage and progress of a run under way.</summary>
    CodegenSessionView current = null!;

    Guid SessionId => this.GetPrimaryKey();
    DateTime Now => clock.GetUtcNow().UtcDateTime;
    static bool IsFinal(SessionStatus status) => status is SessionStatus.Completed or SessionStatus.Failed;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        current = View();
        // Accepted but unfinished when its silo died: carry on here.
        if (state.State.Status is SessionStatus.Pending or SessionStatus.Processing)
            resume = this.RegisterGrainTimer(_ => RunAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    public async Task<CodegenSessionView> GenerateAsync(GenerationRequest request)
    {
        if (state.State.Status is SessionStatus.None)
        {
            RequirementsRules.Require(request);
            if (request.Strategy == CodegenStrategies.Llm && !llm.Available)
                throw new CodegenRequestException(ErrorCodes.StrategyUnavailable, [new RequirementProblem("strategy",
                    "the llm strategy needs a language model: set CODEGEN_LLM_ENDPOINT (and CODEGEN_LLM_MODEL); template, hybrid and auto work without one")]);
            // The reminder first: once the session is saved, something must always be able to resume it.
            await this.RegisterOrUpdateReminder(ResumeReminder, options.Value.ResumeEvery, options.Value.ResumeEvery);
            state.State = new CodegenSessionState { Status = SessionStatus.Pending, Request = request, CreatedAt = Now, UpdatedAt = Now };
            Moved(PackageLayout.ParseContract, 0);
            Event(CodegenTopics.Request(CodegenTopics.Analyze), "codegen-request-analyze", "accepted", new JsonObject
            {
                ["node_type"] = request.Requirements.NodeType,
                ["service_name"] = request.Requirements.ServiceName,
                ["domain"] = request.Requirements.Domain,
                ["strategy"] = request.Strategy,
                ["validation_level"] = request.ValidationLevel,
            });
            await SaveAsync();
        }
        await RunAsync();
        return current;
    }

    public Task<CodegenSessionView> GetAsync() => Task.FromResult(current);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Status is SessionStatus.None || IsFinal(state.State.Status))
        {
            if (await this.GetReminder(ResumeReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        else await RunAsync();
    }

    /// <summary>Runs the stages unless the session is finished; calls and timer ticks queue behind a run.</summary>
    async Task RunAsync()
    {
        resume?.Dispose();
        resume = null;
        if (state.State.Status is SessionStatus.None || IsFinal(state.State.Status)) return;
        var request = state.State.Request!;
        using var scope = log.BeginScope(new Dictionary<string, object> { ["codegen_session_id"] = SessionId.ToString("D") });
        var started = Stopwatch.GetTimestamp();
        try
        {
            state.State.Status = SessionStatus.Processing;
            Moved(PackageLayout.ParseContract, 0);
            await SaveAsync();
            var result = await ProduceAsync(request, started);
            state.State.Result = result;
            state.State.Status = SessionStatus.Completed;
            metrics.Generated(result.StrategyUsed, result.ValidationPassed, result.GenerationTimeMs);
            Moved(PackageLayout.PackageNode, 1);
        }
        catch (LanguageModelException e)
        {
            Fail(ErrorCodes.LlmUnavailable, $"the language model could not generate the package: {e.Message}");
        }
        catch (Exception e) when (!IsTransient(e))
        {
            LogGenerationFailed(log, SessionId, e);
            Fail(ErrorCodes.GenerationFailed, "the package could not be generated");
        }
        await SaveAsync();
        if (await this.GetReminder(ResumeReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    async Task<GenerationResult> ProduceAsync(GenerationRequest request, long started)
    {
        var requirements = request.Requirements;
        var plan = NodePlan.For(requirements);
        var worker = GrainFactory.GetGrain<ICodegenWorkerGrain>(0);
        var notes = new List<string>();
        PlanEvents(plan);

        var strategy = request.Strategy switch
        {
            CodegenStrategies.Auto => llm.Available && Complex(plan) ? CodegenStrategies.Hybrid : CodegenStrategies.Template,
            _ => request.Strategy,
        };
        if (strategy == CodegenStrategies.Hybrid && !llm.Available)
        {
            notes.Add("no language model is configured: hybrid ran as template");
            strategy = CodegenStrategies.Template;
        }

        IReadOnlyList<GeneratedFile> files;
        Moved(PackageLayout.GenerateModels, PackageLayout.Fraction(PackageLayout.GenerateModels));
        if (strategy == CodegenStrategies.Llm)
        {
            files = await llm.GenerateAsync(plan);
        }
        else
        {
            // The contract, then the models, the node and the tests in parallel, each on a free worker.
            var parts = await Task.WhenAll(new[] { PackageLayout.ParseContract, PackageLayout.GenerateModels, PackageLayout.GenerateValidator, PackageLayout.GenerateTests, PackageLayout.PackageNode }
                .Select(stage => worker.RenderAsync(requirements, stage)));
            files = [.. parts.SelectMany(p => p)];
        }
        Moved(PackageLayout.ValidateQuality, PackageLayout.Fraction(PackageLayout.ValidateQuality));
        Event(CodegenTopics.Request(CodegenTopics.Validate), "codegen-request-validate", "requested", new JsonObject { ["validation_level"] = request.ValidationLevel });
        var findings = await worker.ValidateAsync(requirements, files, request.ValidationLevel);

        if (strategy == CodegenStrategies.Hybrid)
        {
            // Refine the template's node with the model; keep the refinement only if it validates as well.
            try
            {
                var refined = await llm.RefineAsync(plan, files);
                var refinedFindings = await worker.ValidateAsync(requirements, refined, request.ValidationLevel);
                if (refinedFindings.Errors.Count == 0 || refinedFindings.Errors.Count <= findings.Errors.Count && findings.Errors.Count > 0)
                    (files, findings) = (refined, refinedFindings);
                else notes.Add($"the language model's refinement was dropped: it failed validation ({refinedFindings.Errors[0]}); the template result is kept");
            }
            catch (LanguageModelException e)
            {
                notes.Add($"the language model's refinement was skipped ({e.Message}); the template result is kept");
            }
        }
        Moved(PackageLayout.PackageNode, PackageLayout.Fraction(PackageLayout.PackageNode));
        var passed = findings.Errors.Count == 0;
        Event(CodegenTopics.Response(CodegenTopics.Validate), "codegen-response-validate", "validated", new JsonObject
        {
            ["validation_level"] = request.ValidationLevel,
            ["validation_passed"] = passed,
            ["validation_errors"] = new JsonArray([.. findings.Errors.Select(e => (JsonNode)e)]),
        });
        notes.AddRange(findings.Notes);
        return new GenerationResult
        {
            SessionId = SessionId,
            NodeName = plan.ClassName,
            ServiceName = requirements.ServiceName,
            StrategyUsed = strategy,
            GenerationTimeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            ValidationPassed = passed,
            ValidationErrors = findings.Errors,
            ValidationLevel = request.ValidationLevel,
            Files = PackageLayout.InOrder(files, f => f.Path),
            Variant = plan.Variant,
            Mixins = plan.Mixins,
            Subcontracts = plan.Subcontracts,
            Notes = notes,
        };
    }

    /// <summary>What auto sends to the model as well: orchestration, learned or analytical logic, or many operations.</summary>
    static bool Complex(NodePlan plan) =>
        plan.NodeType == "orchestrator" || plan.Variant is VariantSelection.MlInference or VariantSelection.Analytics or VariantSelection.Workflow
        || plan.Operations.Count >= 6;

    void PlanEvents(NodePlan plan)
    {
        Event(CodegenTopics.Response(CodegenTopics.Analyze), "codegen-response-analyze", "analyzed", new JsonObject
        {
            ["node_name"] = plan.ClassName,
            ["node_type"] = plan.NodeType,
            ["operations"] = new JsonArray([.. plan.Operations.Select(o => (JsonNode)o.Name)]),
            ["subcontracts"] = new JsonArray([.. plan.Subcontracts.Select(s => (JsonNode)s)]),
        });
        Event(CodegenTopics.Request(CodegenTopics.Pattern), "codegen-request-pattern", "requested", new JsonObject { ["node_type"] = plan.NodeType });
        var scores = new JsonObject();
        foreach (var (variant, score) in plan.VariantScores) scores[variant] = score;
        Event(CodegenTopics.Response(CodegenTopics.Pattern), "codegen-response-pattern", "matched", new JsonObject { ["variant"] = plan.Variant, ["scores"] = scores });
        Event(CodegenTopics.Request(CodegenTopics.Mixin), "codegen-request-mixin", "requested", new JsonObject
        {
            ["requested"] = plan.Requirements.Mixins is { } asked ? new JsonArray([.. asked.Select(m => (JsonNode)m)]) : null,
        });
        Event(CodegenTopics.Response(CodegenTopics.Mixin), "codegen-response-mixin", "recommended", new JsonObject
        {
            ["mixins"] = new JsonArray([.. plan.Mixins.Select(m => (JsonNode)m)]),
        });
    }

    /// <summary>Moves the session to <paramref name="stage"/> in its current status, for readers to see, and queues its status event.</summary>
    void Moved(string stage, double progress)
    {
        var status = state.State.Status;
        state.State.Stage = stage;
        state.State.Progress = progress;
        state.State.UpdatedAt = Now;
        current = View();
        Event(CodegenTopics.Status, "codegen-status-session", $"{status.Wire()}:{stage}".ToLowerInvariant(), new JsonObject
        {
            ["status"] = status.Wire(),
            ["stage"] = stage,
            ["progress"] = Math.Round(progress, 3),
            ["at"] = StampRecordJson.Timestamp(Now),
        });
    }

    void Fail(string code, string message)
    {
        state.State.Status = SessionStatus.Failed;
        state.State.ErrorCode = code;
        state.State.Error = message;
        Moved(state.State.Stage ?? PackageLayout.ParseContract, state.State.Progress);
    }

    void Event(string topic, string type, string fact, JsonObject payload)
    {
        if (events.Codegen(topic, type, SessionId, fact, payload) is { } made) unsent.Add(made);
    }

    /// <summary>Saves the session, then hands its queued events to the outbox (their ids make a repeated hand-over harmless).</summary>
    async Task SaveAsync()
    {
        state.State.UpdatedAt = Now;
        await state.WriteStateAsync();
        current = View();
        if (unsent.Count > 0)
        {
            await events.PublishAsync([.. unsent]);
            unsent.Clear();
        }
    }

    CodegenSessionView View()
    {
        var s = state.State;
        return new CodegenSessionView
        {
            SessionId = SessionId,
            Status = s.Status,
            Stage = s.Stage,
            Progress = s.Status is SessionStatus.Completed ? 1 : s.Progress,
            Owner = s.Request?.Owner,
            CreatedAt = s.CreatedAt,
            UpdatedAt = s.UpdatedAt,
            Error = s.Error,
            ErrorCode = s.ErrorCode,
            Result = s.Result,
            Strategy = s.Request?.Strategy ?? "",
            ServiceName = s.Request?.Requirements.ServiceName ?? "",
        };
    }

    /// <summary>Failures of the cluster or the database: the reminder resumes the session later.</summary>
    static bool IsTransient(Exception e) => ClusterFailures.IsTransient(e) || e is TimeoutException
        or DependencyUnavailableException or OperationCanceledException || e.InnerException is { } inner && IsTransient(inner)
        || e is System.Data.Common.DbException;

    [LoggerMessage(Level = LogLevel.Error, Message = "Code generation session {SessionId} failed")]
    static partial void LogGenerationFailed(ILogger logger, Guid sessionId, Exception error);
}
