using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniBridge.Grains.Codegen.Events;

/// <summary>
/// A request read from one of the four codegen request topics (docs/codegen-events.md, "Requests"), in the original's schema:
/// its step (analyze, validate, pattern or mixin), its ids, and the message as a JSON object.
/// </summary>
public sealed record class CodegenRequest(string Step, Guid CorrelationId, Guid SessionId, JsonObject Body)
{
    public string Text(string name) => Body[name]!.GetValue<string>();

    public string? OptionalText(string name) => Body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public IReadOnlyList<string> Texts(string name) => Body[name] is JsonArray a ? [.. a.Select(n => n!.GetValue<string>())] : [];
}

/// <summary>A message that is not a request of its topic's schema: it goes to the dead-letter topic with <see cref="Exception.Message"/> as its error.</summary>
public sealed class UnreadableCodegenRequestException(string message) : Exception(message);

/// <summary>
/// Reads a request message: UTF-8 JSON, an object, with the fields its schema requires, of the types it requires (the original's
/// pydantic models: UUID ids, enums, limit 1 to 20). Fields the schema does not name are ignored; the defaults are the original's.
/// </summary>
public static class CodegenRequestReader
{
    public static readonly IReadOnlyList<string> NodeTypes = ["orchestrator", "compute", "reducer", "effect"];
    public static readonly IReadOnlyList<string> AnalysisTypes = ["full", "partial", "quick"];
    public static readonly IReadOnlyList<string> ValidationTypes = ["syntax", "semantic", "compliance", "full"];

    /// <exception cref="UnreadableCodegenRequestException">Why the message is not a request of <paramref name="step"/>.</exception>
    public static CodegenRequest Read(string step, ReadOnlySpan<byte> value)
    {
        JsonObject body;
        try
        {
            body = JsonNode.Parse(value) as JsonObject ?? throw new UnreadableCodegenRequestException("the message is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new UnreadableCodegenRequestException($"the message is not JSON: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new UnreadableCodegenRequestException($"the message is not UTF-8 JSON: {e.Message}");
        }
        var correlation = Uuid(body, "correlation_id");
        var session = Uuid(body, "session_id");
        switch (step)
        {
            case "analyze":
                RequiredText(body, "prd_content");
                OneOf(body, "analysis_type", AnalysisTypes, "full");
                OptionalObject(body, "workspace_context");
                break;
            case "validate":
                RequiredText(body, "code_content");
                OneOf(body, "node_type", NodeTypes, null);
                OptionalList(body, "contracts", JsonValueKind.Object);
                OneOf(body, "validation_type", ValidationTypes, "full");
                break;
            case "pattern":
                RequiredText(body, "node_description");
                OneOf(body, "node_type", NodeTypes, null);
                Limit(body);
                break;
            case "mixin":
                if (body["requirements"] is null) throw Missing("requirements");
                OptionalList(body, "requirements", JsonValueKind.String);
                OneOf(body, "node_type", NodeTypes, null);
                OptionalList(body, "existing_mixins", JsonValueKind.String);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, "not a codegen step");
        }
        return new CodegenRequest(step, correlation, session, body);
    }

    static UnreadableCodegenRequestException Missing(string field) => new($"{field} is required");

    static Guid Uuid(JsonObject body, string field)
    {
        if (body[field] is null) throw Missing(field);
        return body[field] is JsonValue v && v.TryGetValue<string>(out var text) && Guid.TryParse(text, out var id)
            ? id : throw new UnreadableCodegenRequestException($"{field} must be a UUID string");
    }

    static void RequiredText(JsonObject body, string field)
    {
        if (body[field] is null) throw Missing(field);
        if (body[field] is not JsonValue v || !v.TryGetValue<string>(out _)) throw new UnreadableCodegenRequestException($"{field} must be a string");
    }

    static void OneOf(JsonObject body, string field, IReadOnlyList<string> accepted, string? fallback)
    {
        if (body[field] is null)
        {
            if (fallback is null) throw Missing(field);
            body[field] = fallback;
            return;
        }
        if (body[field] is not JsonValue v || !v.TryGetValue<string>(out var text) || !accepted.Contains(text))
            throw new UnreadableCodegenRequestException($"{field} must be one of {string.Join(", ", accepted)}");
    }

    static void OptionalObject(JsonObject body, string field)
    {
        if (body[field] is null) body[field] = new JsonObject();
        else if (body[field] is not JsonObject) throw new UnreadableCodegenRequestException($"{field} must be an object");
    }

    static void OptionalList(JsonObject body, string field, JsonValueKind items)
    {
        if (body[field] is null)
        {
            body[field] = new JsonArray();
            return;
        }
        if (body[field] is not JsonArray list || list.Any(i => i is null || i.GetValueKind() != items))
            throw new UnreadableCodegenRequestException($"{field} must be a list of {(items == JsonValueKind.Object ? "objects" : "strings")}");
    }

    static void Limit(JsonObject body)
    {
        if (body["limit"] is null)
        {
            body["limit"] = 5;
            return;
        }
        if (body["limit"] is not JsonValue v || !v.TryGetValue<int>(out var limit) || limit is < 1 or > 20)
            throw new UnreadableCodegenRequestException("limit must be a whole number from 1 to 20");
    }
}
