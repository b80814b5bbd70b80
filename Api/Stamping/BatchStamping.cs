using System.Diagnostics;
using System.Text.Json;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Metrics;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Security;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Api.Stamping;

/// <summary>
/// A batch: each item is read and checked on its own (a bad item fails alone, with the code
/// /stamp would give), and the good ones are stamped a part at a time, each part in one grain
/// call and one store round trip, its results sent before the next part is read
/// (docs/protocol.md, "Endpoints": batches are stamped in parts).
/// </summary>
public static partial class BatchStamping
{
    /// <summary>
    /// Items stamped and answered together. A part's contents, records and stamped texts are let go
    /// once its results are sent: a silo running four batches of a thousand held about 35 MiB more at
    /// its peak when it held whole batches (bench/README.md).
    /// </summary>
    public const int PartSize = 250;

    public static async Task WriteAsync(BatchRequest request, HttpContext http, ServiceGrains grains, ApiSettings settings, ServiceMetrics metrics, ErrorClassifier classifier, ILogger log)
    {
        var started = Stopwatch.GetTimestamp();
        var batchId = Guid.NewGuid();
        var namespaceName = Query.CheckedNamespace(request.Namespace ?? settings.DefaultNamespace, "namespace");
        http.SetNamespace(namespaceName);
        var form = StampRequestBinding.StampForm(request.Options);
        var items = BatchItems.RequireCount(request.Items, "batch");
        // An item in a namespace the key may not use refuses the whole batch, before any part is written.
        AuthorizeItems(http, items, namespaceName);

        using var answer = new BatchAnswer(http, batchId);
        var earlier = new BatchSoFar(0, 0, 0);
        // Once a part is stored the answer is 200, whatever happens to the rest; before, an outage is the whole batch's 503.
        var stored = false;
        ApiError? failure = null;
        for (var first = 0; first < items.Count; first += PartSize)
        {
            var count = Math.Min(PartSize, items.Count - first);
            var last = first + count == items.Count;
            var results = new BatchItemView[count];
            var accepted = new List<(int Index, string Id, StampCommand Command)>(count);
            foreach (var item in BatchItems.Read(items, namespaceName, form, first, count))
            {
                if (item.Command is { } command) accepted.Add((item.Index, item.Id, command));
                else results[item.Index - first] = Failed(item.Id, item.Refusal!.Code, item.Refusal.Field, item.Refusal.Message);
            }

            // The last part is sent even when every item was refused: the batch-processed event counts the whole batch.
            IReadOnlyList<BatchItemOutcome> outcomes = [];
            var partStarted = Stopwatch.GetTimestamp();
            if (failure is null && (accepted.Count > 0 || last))
            {
                try
                {
                    outcomes = await ClusterCalls.RetryAsync(() => grains.StampWorker.StampBatchAsync(new BatchStampCommand
                    {
                        BatchId = batchId,
                        Items = accepted.ConvertAll(a => a.Command),
                        Namespace = namespaceName,
                        RefusedItems = count - accepted.Count,
                        StampedInPieces = true,
                        Earlier = earlier,
                        MoreToCome = !last,
                    }));
                    stored = true;
                }
                catch (Exception error) when (stored)
                {
                    // Earlier parts are stored and answered: the rest of the batch fails item by item,
                    // with the error the whole batch would have had, and may be sent again as it is.
                    var (status, apiError) = classifier.Classify(http, error);
                    if (ErrorClassifier.IsUnexpected(status, apiError)) LogPartFailed(log, http.TraceIdentifier, first, error);
                    failure = apiError;
                }
            }
            earlier = new BatchSoFar(earlier.Items + count, earlier.Stamped + outcomes.Count(o => o.Outcome is not null),
                earlier.ProcessingTimeMs + Stopwatch.GetElapsedTime(partStarted).TotalMilliseconds);

            for (var k = 0; k < accepted.Count; k++)
            {
                var (index, id, _) = accepted[k];
                results[index - first] = failure is { } unstamped ? Failed(id, unstamped.Code, unstamped.Field, unstamped.Message)
                    : outcomes[k].Outcome is not { } outcome
                    // Refused by the grain (a stamp that would not read back): its field is relative to the item.
                    ? Failed(id, outcomes[k].ErrorCode!, $"items[{index}].{outcomes[k].ErrorField}", outcomes[k].ErrorMessage!)
                    : Stamped(id, outcome, metrics);
            }
            await answer.AddAsync(results, send: stored);
        }
        await answer.EndAsync(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Every item's namespace (its own, else the batch's), read without reading the rest of the item.</summary>
    static void AuthorizeItems(HttpContext http, List<JsonElement> items, string batchNamespace)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].ValueKind != JsonValueKind.Object) continue;   // fails on its own
            var own = items[i].TryGetProperty("namespace", out var given) ? given : default;
            var namespaceName = own.ValueKind switch
            {
                JsonValueKind.Undefined or JsonValueKind.Null => batchNamespace,
                JsonValueKind.String => own.GetString()!,
                _ => null,
            };
            if (namespaceName is { } checkedName && NamespaceName.IsValid(checkedName)) http.AuthorizeNamespace(checkedName, $"items[{i}].namespace");
        }
    }

    static BatchItemView Stamped(string id, StampOutcome outcome, ServiceMetrics metrics)
    {
        metrics.Stamped(outcome);
        return new BatchItemView
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

    static BatchItemView Failed(string id, string code, string? field, string message) =>
        new() { Id = id, Success = false, Error = new BatchItemError(code, field, message) };

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId}: the batch part from item {First} on failed unexpectedly; its items and the rest failed")]
    static partial void LogPartFailed(ILogger logger, string requestId, int first, Exception error);
}
