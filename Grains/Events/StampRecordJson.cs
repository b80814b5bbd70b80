using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;
using OmniBridge.Grains.Stamping;

namespace OmniBridge.Grains.Events;

/// <summary>A stamp record as events carry it: the fields of docs/protocol.md, "Records and idempotency" in snake_case, as the REST API shows them.</summary>
public static class StampRecordJson
{
    /// <summary>The record as a tree of JSON nodes (what a signature is computed over).</summary>
    public static JsonObject From(StampRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, record);
        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    /// <summary>Writes the record as a JSON object, the fields in the order docs/protocol.md lists them.</summary>
    public static void Write(Utf8JsonWriter writer, StampRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("stamp_id", record.StampId);
        writer.WriteString("file_hash", record.FileHash);
        writer.WriteString("namespace", record.Namespace);
        writer.WriteString("file_path", record.FilePath);
        writer.WriteNumber("file_size", record.FileSize);
        writer.WriteString("content_type", record.ContentType);
        writer.WriteString("stamp_type", record.StampType.Wire());
        writer.WriteString("stamp", record.Stamp);
        writer.WriteString("op_id", record.OpId);
        writer.WriteNumber("version", record.Version);
        writer.WriteString("metadata_version", record.MetadataVersion);
        writer.WriteString("protocol_version", record.ProtocolVersion);
        writer.WritePropertyName("intelligence_data");
        if (record.IntelligenceDataJson == StampRecord.NoIntelligenceData)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else
        {
            // Written again as parsed, so that the event carries it compact whatever spacing it came with.
            using var intelligence = JsonDocument.Parse(record.IntelligenceDataJson);
            intelligence.RootElement.WriteTo(writer);
        }
        writer.WriteStartObject("metadata");
        foreach (var (key, value) in record.Metadata) writer.WriteString(key, value);
        writer.WriteEndObject();
        writer.WriteString("created_at", StampTimestamp.Format(record.CreatedAt));
        if (record.WorkflowId is { } workflow) writer.WriteString("workflow_id", workflow);
        else writer.WriteNull("workflow_id");
        writer.WriteNumber("processing_time_ms", record.ProcessingTimeMs);
        writer.WriteString("sha256", record.Sha256);
        if (record.LogIndex is { } index) writer.WriteNumber("log_index", index);
        else writer.WriteNull("log_index");
        writer.WriteEndObject();
    }

    /// <exception cref="FormatException">The payload is not a stamp record.</exception>
    public static StampRecord Read(JsonElement payload)
    {
        StampRecord record;
        try
        {
            record = new StampRecord
            {
                StampId = payload.GetProperty("stamp_id").GetGuid(),
                FileHash = payload.GetProperty("file_hash").GetString()!,
                Namespace = payload.GetProperty("namespace").GetString()!,
                FilePath = payload.TryGetProperty("file_path", out var path) && path.ValueKind == JsonValueKind.String ? path.GetString() : null,
                FileSize = payload.GetProperty("file_size").GetInt64(),
                ContentType = payload.GetProperty("content_type").GetString()!,
                StampType = WireNames.Parse<StampType>(payload.GetProperty("stamp_type").GetString()),
                Stamp = payload.GetProperty("stamp").GetString()!,
                OpId = payload.GetProperty("op_id").GetGuid(),
                Version = payload.GetProperty("version").GetInt32(),
                MetadataVersion = payload.GetProperty("metadata_version").GetString()!,
                ProtocolVersion = payload.GetProperty("protocol_version").GetString()!,
                IntelligenceDataJson = payload.TryGetProperty("intelligence_data", out var intelligence) ? intelligence.GetRawText() : StampRecord.NoIntelligenceData,
                Metadata = payload.TryGetProperty("metadata", out var metadata)
                    ? metadata.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetString()!)
                    : [],
                CreatedAt = DateTime.Parse(payload.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                WorkflowId = payload.TryGetProperty("workflow_id", out var workflow) && workflow.ValueKind == JsonValueKind.String ? workflow.GetGuid() : null,
                ProcessingTimeMs = payload.TryGetProperty("processing_time_ms", out var time) && time.ValueKind == JsonValueKind.Number ? time.GetDouble() : 0,
                Sha256 = payload.TryGetProperty("sha256", out var sha256) && sha256.ValueKind == JsonValueKind.String ? sha256.GetString() : null,
                LogIndex = payload.TryGetProperty("log_index", out var logIndex) && logIndex.ValueKind == JsonValueKind.Number ? logIndex.GetInt64() : null,
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException or NullReferenceException)
        {
            throw new FormatException($"the payload is not a stamp record: {e.Message}", e);
        }
        if (!NamespaceName.IsValid(record.Namespace)) throw new FormatException($"the payload's namespace '{record.Namespace}' is not a namespace");
        if (!FileHash.IsValid(record.FileHash)) throw new FormatException("the payload's file_hash is not 64 lowercase hex characters");
        return record;
    }
}
