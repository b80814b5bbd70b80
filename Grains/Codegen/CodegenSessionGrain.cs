using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Codegen.Quorum;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Resumption;
using OmniBridge.Grains.Stamping;
using Orleans.Placement;

namespace OmniBridge.Grains.Codegen;

/// <summary>
/// One code generation (docs/protocol.md, "Code generation"). The grain keeps the session's state, its events and its
/// resumption; the stages are <see cref="PackageGeneration"/>'s. The status is saved when the
/// session is accepted, when it starts processing and when it ends, so a session outlives its silo:
/// a reminder resumes an unfinished one elsewhere (<see cref="ResumableWork"/>, as workflows
/// resume), and a finished one is read back with its files. Progress between saves is visible to
/// readers while it runs.
/// </summary>
[PreferLocalPlacement]
[GrainType("codegensession")]
public sealed partial class CodegenSessionGrain : Grain, ICodegenSessionGrain, IRemindable, IGenerationProgress
{
    readonly IPersistentState<CodegenSessionState> state;
    readonly PackageGeneration generation;
    readonly LlmGeneration llm;
    readonly QuorumReview quorum;
    readonly IEventPath events;
    readonly GrainMetrics metrics;
    readonly CodegenOptions options;
    readonly TimeProvider clock;
    readonly ILogger<CodegenSessionGrain> log;
    readonly ResumableWork work;
    readonly List<OutboxEvent> unsent = [];

    public CodegenSessionGrain(
        [PersistentState("codegen", StorageNames.Default)] IPersistentState<CodegenSessionState> state,
        PackageGeneration generation,
        LlmGeneration llm,
        QuorumReview quorum,
        IEventPath events,
        GrainMetrics metrics,
        IOptions<CodegenOptions> options,
        TimeProvider clock,
        ILogger<CodegenSessionGrain> log)
    {
        (this.state, this.generation, this.llm, this.quorum, this.events, this.metrics, this.clock, this.log) = (state, generation, llm, quorum, events, metrics, clock, log);
        this.options = options.Value;
        work = new ResumableWork(this, _ => RunAsync());
    }

    /// <summary>What readers see: the saved state, with the stage and progress of a run under way.</summary>
    CodegenSessionView current = null!;

    Guid SessionId => this.GetPrimaryKey();
    DateTime Now => clock.GetUtcNow().UtcDateTime;
    bool IsUnfinished => state.State.Status is SessionStatus.Pending or SessionStatus.Processing;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        current = View();
        // Accepted but unfinished when its silo died: carry on here.
        if (IsUnfinished) work.Start();
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
            await work.KeepAliveAsync(options.ResumeEvery);
            state.State = new CodegenSessionState { Status = SessionStatus.Pending, Request = request, CreatedAt = Now, UpdatedAt = Now };
            Moved(PackageLayout.ParseContract, 0);
            await SaveAsync();
        }
        // The caller waits for the package; a retried call joins the run under way.
        if (IsUnfinished) await work.StartAndWaitAsync();
        return current;
    }

    public Task<CodegenSessionView> GetAsync() => Task.FromResult(current);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (IsUnfinished) work.Start();
        else await work.ForgetAsync();
    }

    /// <summary>One run of the stages, from the saved state; a failure of the cluster or the database leaves the session to the reminder.</summary>
    async Task RunAsync()
    {
        if (!IsUnfinished) return;
        var request = state.State.Request!;
        using var scope = log.BeginScope(new Dictionary<string, object> { ["codegen_session_id"] = SessionId.ToString("D") });
        try
        {
            state.State.Status = SessionStatus.Processing;
            Moved(PackageLayout.ParseContract, 0);
            await SaveAsync();
            var result = await generation.ProduceAsync(SessionId, request, GrainFactory.GetGrain<ICodegenWorkerGrain>(0), this);
            // The quorum votes on the finished package, as the last stage of its validation.
            result = await quorum.ReviewAsync(result, request.Requirements, request.Quorum);
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
        await work.ForgetAsync();
    }

    /// <summary>
    /// Moves the session to <paramref name="stage"/> in its current status, for readers to see, and queues its status event
    /// (docs/codegen-events.md, "Status"): the original's CodegenStatusEvent fields, the stage and the strategy in its metadata.
    /// </summary>
    public void Moved(string stage, double progress)
    {
        var status = state.State.Status;
        state.State.Stage = stage;
        state.State.Progress = progress;
        state.State.UpdatedAt = Now;
        current = View();
        var percentage = status is SessionStatus.Completed ? 100 : Math.Round(progress * 100, 1);
        if (events.Codegen(CodegenTopics.Status, "codegen-status-session", SessionId, $"{status.Wire()}:{stage}".ToLowerInvariant(), new JsonObject
        {
            ["status"] = status.Wire(),
            ["progress_percentage"] = percentage,
            ["message"] = state.State.Error is { } error && status is SessionStatus.Failed ? error : $"{status.Wire()}: {stage}",
            ["metadata"] = new JsonObject
            {
                ["stage"] = stage,
                ["strategy"] = state.State.Request?.Strategy,
                ["error_code"] = status is SessionStatus.Failed ? state.State.ErrorCode : null,
            },
            ["timestamp"] = StampTimestamp.Format(Now),
            ["schema_version"] = "1.0",
        }) is { } made) unsent.Add(made);
    }

    void Fail(string code, string message)
    {
        state.State.Status = SessionStatus.Failed;
        state.State.ErrorCode = code;
        state.State.Error = message;
        Moved(state.State.Stage ?? PackageLayout.ParseContract, state.State.Progress);
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
