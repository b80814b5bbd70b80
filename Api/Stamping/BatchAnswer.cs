using System.Text.Json;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;

namespace OmniBridge.Api.Stamping;

/// <summary>
/// The answer to POST /batch, written as the batch is stamped (docs/protocol.md, "Batches"): the
/// batch's id and each part's results as soon as the part is stored, then the counts, the status,
/// the errors and the metadata. Neither the answer nor the contents it repeats wait in memory whole.
/// </summary>
public sealed class BatchAnswer(HttpContext http, Guid batchId) : IDisposable
{
    readonly Utf8JsonWriter json = new(http.Response.BodyWriter, new JsonWriterOptions { Encoder = ApiJson.Options.Encoder, MaxDepth = ApiJson.MaxDepth });
    readonly List<ApiError> errors = [];
    int items;
    int succeeded;

    /// <summary>Parts whose results wait to be sent: those of refused items only, until a part is stored.</summary>
    readonly List<BatchItemView[]> held = [];
    bool started;

    /// <summary>
    /// Adds one part's results, in the order of its items, and sends them with any held before when
    /// <paramref name="send"/>: a part has been stored, so the answer is 200 whatever follows. Until
    /// then nothing is sent, and a failure can still answer for the whole batch.
    /// </summary>
    public async Task AddAsync(BatchItemView[] results, bool send)
    {
        held.Add(results);
        if (!send) return;
        Send();
        await FlushAsync();
    }

    void Send()
    {
        if (!started)
        {
            started = true;
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/json; charset=utf-8";
            json.WriteStartObject();
            json.WriteStartObject("data");
            json.WriteString("batch_id", batchId);
            json.WriteStartArray("results");
        }
        foreach (var result in held.SelectMany(part => part))
        {
            JsonSerializer.Serialize(json, result, ApiJson.Options);
            items++;
            if (result.Error is { } error) errors.Add(new ApiError(error.Code, error.Field, $"item {result.Id}: {error.Message}"));
            else succeeded++;
        }
        held.Clear();
    }

    /// <summary>Ends the answer with the batch's counts and status: success, partial, or error when no item was stamped.</summary>
    public async Task EndAsync(double processingTimeMs)
    {
        Send();
        json.WriteEndArray();
        json.WriteNumber("total_items", items);
        json.WriteNumber("successful_items", succeeded);
        json.WriteNumber("failed_items", items - succeeded);
        json.WriteNumber("processing_time_ms", processingTimeMs);
        json.WriteEndObject();
        var status = errors.Count == 0 ? "success" : succeeded == 0 ? "error" : "partial";
        json.WriteString("status", status);
        json.WritePropertyName("error");
        JsonSerializer.Serialize(json, errors.Count == 0 ? null : errors, ApiJson.Options);
        json.WriteString("message", errors.Count == 0 ? $"{items} items stamped" : $"{succeeded} of {items} items stamped");
        json.WritePropertyName("metadata");
        JsonSerializer.Serialize(json, Unified.MetadataOf(http), ApiJson.Options);
        json.WriteEndObject();
        await FlushAsync();
    }

    /// <summary>
    /// Sends what is written. Not cancelled when the caller goes away: as when the whole answer was
    /// written at the end, a batch that was read is stamped to its end.
    /// </summary>
    async Task FlushAsync()
    {
        await json.FlushAsync();
        await http.Response.BodyWriter.FlushAsync();
    }

    public void Dispose() => json.Dispose();
}
