using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Grains.Workflows;

/// <summary>
/// Runs a workflow's steps (docs/architecture.md, "Workflows"): a step already done is skipped (a
/// resumed workflow carries on where it stopped); a failing one is retried with back-off up to
/// <see cref="WorkflowOptions.Retries"/> times while the processing budget lasts; a step that
/// says the workflow cannot succeed (<see cref="WorkflowFailedException"/>) fails it at once.
/// After each step the workflow is saved.
/// </summary>
public sealed partial class StepRunner(IOptions<WorkflowOptions> workflowOptions, TimeProvider clock, ILogger<StepRunner> log)
{
    readonly WorkflowOptions options = workflowOptions.Value;

    /// <exception cref="WorkflowFailedException">The step failed for good, or the budget ran out.</exception>
    public async Task RunAsync(WorkflowState workflow, Guid workflowId, string name, ProcessingBudget budget,
        Func<CancellationToken, Task<string>> body, Func<Task> save)
    {
        var step = workflow.Steps.Single(s => s.Name == name);
        if (WorkflowSteps.IsDone(step.Status)) return;
        step.Status = WorkflowSteps.Running;
        step.StartedAt ??= clock.GetUtcNow().UtcDateTime;

        for (var retry = 0; ; retry++)
        {
            var remaining = budget.Remaining;
            if (remaining <= TimeSpan.Zero) throw TimedOut(step, budget);
            step.Attempts++;
            var started = Stopwatch.GetTimestamp();
            using var deadline = new CancellationTokenSource(remaining);
            try
            {
                step.Status = await body(deadline.Token).WaitAsync(deadline.Token);
                step.DurationMs = (step.DurationMs ?? 0) + Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (step.Status is WorkflowSteps.Succeeded) step.Error = null;
                workflow.ProcessingMs = budget.Spent;
                await save();
                return;
            }
            catch (Exception) when (deadline.IsCancellationRequested)
            {
                throw TimedOut(step, budget);
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
                LogStepFailed(log, name, workflowId, step.Attempts, e);
                var backoff = options.Backoff(retry);
                if (retry >= options.Retries || backoff >= budget.Remaining)
                {
                    if (retry < options.Retries) throw TimedOut(step, budget);
                    step.Status = WorkflowSteps.Failed;
                    throw new WorkflowFailedException(e is DependencyUnavailableException ? ErrorCodes.DependencyUnavailable : ErrorCodes.StepFailed,
                        $"step {name} failed after {step.Attempts} attempts: {e.Message}");
                }
                await Task.Delay(backoff, clock);
            }
        }
    }

    static WorkflowFailedException TimedOut(WorkflowStep step, ProcessingBudget budget)
    {
        step.Status = WorkflowSteps.Failed;
        step.Error = "processing took longer than the workflow's budget";
        return new WorkflowFailedException(ErrorCodes.WorkflowTimeout, $"processing took longer than {budget.Limit.TotalSeconds:0} s (step {step.Name})");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step {Step} of workflow {WorkflowId} failed (attempt {Attempt})")]
    static partial void LogStepFailed(ILogger logger, string step, Guid workflowId, int attempt, Exception error);
}
