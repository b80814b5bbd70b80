using System.Text.Json;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;

namespace OmniBridge.Api.Stamping;

/// <summary>
/// The answer to POST /batch, written as the batch is stamped (docs/protocol.md, "Endpoints": batches are stamped in parts): the
/// batch's id and each part's results as soon as the part is stored, then the counts, the status,
/// the errors and the metadata. Neither the answer nor the contents it repeats wait in memory whole.
/// </summary>
public sealed class BatchAnswer(HttpContext http, Guid batchId) : IDisposable
{
    // The names of the envelope's and the batch's fields, as the serializer names the types the API documents.
    static readonly JsonEncodedText Data = Name(nameof(UnifiedResponse<BatchView>.Data)), Status = Name(nameof(UnifiedResponse<BatchView>.Status)),
        Error = Name(nameof(UnifiedResponse<BatchView>.Error)), Message = Name(nameof(UnifiedResponse<BatchView>.Message)),
        Metadata = Name(nameof(UnifiedResponse<BatchView>.Metadata)), BatchId = Name(nameof(BatchView.BatchId)), Results = Name(nameof(BatchView.Results)),
        TotalItems = Name(nameof(BatchView.TotalItems)), SuccessfulItems = Name(nameof(BatchView.SuccessfulItems)),
        FailedItems = Name(nameof(BatchView.FailedItems)), ProcessingTimeMs = Name(nameof(BatchView.ProcessingTimeMs));

    static JsonEncodedText Name(string property) => JsonEncodedText.Encode(ApiJson.Options.PropertyNamingPolicy!.ConvertName(property));

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
            http.Response.ContentType = Unified.ContentType;
            json.WriteStartObject();
            json.WriteStartObject(Data);
            json.WriteString(BatchId, batchId);
            json.WriteStartArray(Results);
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
        json.WriteNumber(TotalItems, items);
        json.WriteNumber(SuccessfulItems, succeeded);
        json.WriteNumber(FailedItems, items - succeeded);
        json.WriteNumber(ProcessingTimeMs, processingTimeMs);
        json.WriteEndObject();
        var status = errors.Count == 0 ? UnifiedStatus.Success : succeeded == 0 ? UnifiedStatus.Error : UnifiedStatus.Partial;
        json.WriteString(Status, status);
        json.WritePropertyName(Error);
        JsonSerializer.Serialize(json, errors.Count == 0 ? null : errors, ApiJson.Options);
        json.WriteString(Message, errors.Count == 0 ? $"{items} items stamped" : $"{succeeded} of {items} items stamped");
        json.WritePropertyName(Metadata);
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
