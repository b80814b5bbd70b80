using System.Diagnostics;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Metrics;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Security;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Api.Stamping;

/// <summary>
/// A batch: each item is read and checked on its own (a bad item fails alone, with the code
/// /stamp would give), and the good ones are stamped in one grain call and one store round trip.
/// </summary>
public static class BatchStamping
{
    public static async Task<BatchView> RunAsync(BatchRequest request, HttpContext http, IGrainFactory grains, ApiSettings settings, ServiceMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        var batchId = Guid.NewGuid();
        var namespaceName = Query.CheckedNamespace(request.Namespace ?? settings.DefaultNamespace, "namespace");
        http.SetNamespace(namespaceName);
        var form = StampRequestBinding.StampForm(request.Options);
        var items = BatchItems.RequireCount(request.Items, "batch");

        var results = new BatchItemView[items.Count];
        var accepted = new List<(int Index, string Id, StampCommand Command)>(items.Count);
        foreach (var item in BatchItems.Read(items, namespaceName, form))
        {
            if (item.Command is { } command)
            {
                // An item in a namespace the key may not use refuses the whole batch: nothing is written.
                http.AuthorizeNamespace(command.Namespace, $"items[{item.Index}].namespace");
                accepted.Add((item.Index, item.Id, command));
            }
            else results[item.Index] = Failed(item.Id, item.Refusal!.Code, item.Refusal.Field, item.Refusal.Message);
        }

        // The grain is called even when every item was refused: the batch-processed event counts the whole batch.
        var outcomes = await ClusterCalls.RetryAsync(() => grains.GetGrain<IStampWorkerGrain>(0).StampBatchAsync(new BatchStampCommand
        {
            BatchId = batchId,
            Items = accepted.ConvertAll(a => a.Command),
            Namespace = namespaceName,
            RefusedItems = items.Count - accepted.Count,
            StampedInPieces = true,
        }));
        for (var k = 0; k < accepted.Count; k++)
        {
            var (index, id, _) = accepted[k];
            if (outcomes[k].Outcome is not { } outcome)
            {
                // Refused by the grain (a stamp that would not read back): its field is relative to the item.
                results[index] = Failed(id, outcomes[k].ErrorCode!, $"items[{index}].{outcomes[k].ErrorField}", outcomes[k].ErrorMessage!);
                continue;
            }
            metrics.Stamped(outcome);
            results[index] = new BatchItemView
            {
                Id = id,
                Success = true,
                StampId = outcome.Record.StampId,
                FileHash = outcome.Record.FileHash,
                Created = outcome.Created,
                Stamp = outcome.Record.Stamp,
                Outcome = outcome,
            };
        }

        var succeeded = results.Count(r => r.Success);
        return new BatchView
        {
            BatchId = batchId,
            TotalItems = items.Count,
            SuccessfulItems = succeeded,
            FailedItems = items.Count - succeeded,
            Results = results,
            ProcessingTimeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
    }

    static BatchItemView Failed(string id, string code, string? field, string message) =>
        new() { Id = id, Success = false, Error = new BatchItemError(code, field, message) };
}
