using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Metrics;
using OmniBridge.Api.Requests;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Api.Stamping;

/// <summary>
/// A batch: each item is read and checked on its own (a bad item fails alone, with the code
/// /stamp would give), and the good ones are stamped in one grain call and one store round trip.
/// </summary>
public static class BatchStamping
{
    public const int MaxItems = 1000;

    public static async Task<BatchView> RunAsync(BatchRequest request, HttpContext http, IGrainFactory grains, ApiSettings settings, ServiceMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        var batchId = Guid.NewGuid();
        var namespaceName = Query.CheckedNamespace(request.Namespace ?? settings.DefaultNamespace, "namespace");
        http.SetNamespace(namespaceName);
        var form = StampRequestBinding.StampForm(request.Options);
        var items = request.Items ?? throw ApiException.Validation("items", $"items is required: an array of 1 to {MaxItems} items");
        if (items.Count == 0) throw new ApiException(400, ErrorCodes.EmptyBatch, "items", "the batch has no items");
        if (items.Count > MaxItems) throw new ApiException(400, ErrorCodes.BatchTooLarge, "items", $"a batch holds at most {MaxItems} items, not {items.Count}");

        var results = new BatchItemView[items.Count];
        var accepted = new List<(int Index, string Id, StampCommand Command)>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var prefix = $"items[{i}].";
            var id = IdOf(items[i], i);
            try
            {
                var item = JsonBody.Bind<BatchItemRequest>(items[i], prefix);
                if (item.Id is { ValueKind: not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null) })
                    throw ApiException.Validation(prefix + "id", "id must be a string or a number");
                accepted.Add((i, id, item.ToCommand(namespaceName, form, prefix)));
            }
            catch (ApiException refused)
            {
                results[i] = Failed(id, refused.Code, refused.Field, refused.Message);
            }
            catch (StampCommandException refused)
            {
                results[i] = Failed(id, refused.Code, refused.Field, refused.Message);
            }
        }

        if (accepted.Count > 0)
        {
            var outcomes = await grains.GetGrain<IStampWorkerGrain>(0).StampBatchAsync(new BatchStampCommand
            {
                BatchId = batchId,
                Items = accepted.ConvertAll(a => a.Command),
            });
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
                    StampedContent = outcome.StampedContent,
                };
            }
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

    /// <summary>The item's own id (a string or a number), else its index. An id that cannot be read falls back to the index; the item then fails on it.</summary>
    static string IdOf(JsonElement item, int index)
    {
        var fallback = index.ToString(CultureInfo.InvariantCulture);
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var id)) return fallback;
        return id.ValueKind switch
        {
            JsonValueKind.String => id.GetString()!,
            JsonValueKind.Number => id.GetRawText(),
            _ => fallback,
        };
    }

    static BatchItemView Failed(string id, string code, string? field, string message) =>
        new() { Id = id, Success = false, Error = new BatchItemError(code, field, message) };
}
