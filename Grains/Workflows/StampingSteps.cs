using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Stamping;

namespace OmniBridge.Grains.Workflows;

/// <summary>
/// What each step of a stamping workflow does to its state (docs/architecture.md, "Workflows" names the steps): check the
/// items, hash them into candidate records, optionally ask the intelligence service, store the
/// records, and hand over their events. Each returns the step's status; a step that throws is
/// retried by the <see cref="StepRunner"/>, one that throws <see cref="WorkflowFailedException"/>
/// fails the workflow.
/// </summary>
public sealed class StampingSteps(
    StampRegistry stamps,
    IEventPath events,
    IIntelligenceAnalyzer intelligence,
    IOptions<StampingOptions> stampingOptions,
    IOptions<WorkflowOptions> workflowOptions,
    TimeProvider clock)
{
    readonly StampingOptions versions = stampingOptions.Value;
    readonly WorkflowOptions options = workflowOptions.Value;

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Task<string> ValidateAsync(WorkflowState workflow)
    {
        for (var i = 0; i < workflow.Items.Count; i++)
        {
            try
            {
                StampDraft.For(workflow.Items[i], versions, Now);
            }
            catch (StampCommandException refused)
            {
                throw new WorkflowFailedException(refused.Code, $"item {i}: {refused.Message}");
            }
        }
        return Task.FromResult(WorkflowSteps.Succeeded);
    }

    public Task<string> HashAsync(WorkflowState workflow)
    {
        var now = Now;
        workflow.Candidates = [.. workflow.Items.Select(item => StampDraft.For(item, versions, now).Candidate)];
        return Task.FromResult(WorkflowSteps.Succeeded);
    }

    /// <summary>The optional step: a failure or a timeout marks it degraded and never fails the workflow.</summary>
    public async Task<string> AnalyzeAsync(WorkflowState workflow, CancellationToken cancellationToken)
    {
        var step = workflow.Steps.Single(s => s.Name == WorkflowSteps.Intelligence);
        if (!workflow.EnableIntelligence) return WorkflowSteps.Skipped;
        if (!intelligence.IsConfigured)
        {
            step.Error = "no intelligence service is configured";
            return WorkflowSteps.Skipped;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.IntelligenceTimeout);
            var analyses = await intelligence.AnalyzeAsync(workflow.Items, timeout.Token).WaitAsync(timeout.Token);
            workflow.Candidates = [.. workflow.Candidates!.Select((record, i) => WithAnalysis(record, i < analyses.Count ? analyses[i] : null))];
            return WorkflowSteps.Succeeded;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            step.Error = e is OperationCanceledException ? $"no answer within {options.IntelligenceTimeout.TotalMilliseconds:0} ms" : e.Message;
            return WorkflowSteps.Degraded;
        }
    }

    public async Task<string> PersistAsync(WorkflowState workflow, Guid workflowId, CancellationToken cancellationToken)
    {
        var candidates = workflow.Candidates!;
        // With an outbox, each created record's event is written with it, in the same transaction.
        var stored = await stamps.AddBatchAsync(candidates, events.WithStamps(candidates, workflowId.ToString("D")), cancellationToken);
        workflow.Results = [.. stored.Select(s => s.Record)];
        // By id, not by the store's flag: after a crash between storing and saving, the rerun finds
        // its own records as existing, and still knows they are its own.
        workflow.Created = [.. stored.Select((s, i) => s.Record.StampId == candidates[i].StampId)];
        return WorkflowSteps.Succeeded;
    }

    public async Task<string> PublishAsync(WorkflowState workflow, CancellationToken cancellationToken)
    {
        // With an outbox the events were written with the records, and this hands over nothing.
        var created = workflow.Results!.Where((_, i) => workflow.Created![i]).DistinctBy(r => r.StampId).ToList();
        try
        {
            await events.CreatedAsync(created);
            return WorkflowSteps.Succeeded;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The records are stored; the namespace's reducer also folds what it finds in the store.
            workflow.Steps.Single(s => s.Name == WorkflowSteps.PublishEvents).Error = $"events not published ({e.Message}); the reducer folds the records from the store";
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
}
