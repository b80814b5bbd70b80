using System.Text.Json;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Requests;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Api.Stamping;

/// <summary>POST /stamp: text in <c>content</c> or bytes in <c>content_base64</c>.</summary>
public record class StampRequest
{
    public string? Content { get; init; }
    public string? ContentBase64 { get; init; }
    public string? Namespace { get; init; }
    public string? FilePath { get; init; }
    public string? ContentType { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
    public JsonElement? IntelligenceData { get; init; }
    public string? OpId { get; init; }
    public StampOptions? Options { get; init; }
}

/// <summary>How to stamp: <c>lightweight</c> (default) or <c>rich</c>.</summary>
public sealed record class StampOptions
{
    public string? StampType { get; init; }
}

/// <summary>One item of POST /batch: the fields of /stamp (namespace and options default to the batch's) plus an id.</summary>
public sealed record class BatchItemRequest : StampRequest
{
    /// <summary>A string or number naming the item in the results; its index when absent.</summary>
    public JsonElement? Id { get; init; }
}

/// <summary>POST /batch: 1 to <see cref="Limits.BatchItems"/> items, each stamped as by /stamp.</summary>
public sealed record class BatchRequest
{
    public string? Namespace { get; init; }

    /// <summary>Items are read one by one, so one bad item fails alone.</summary>
    public List<JsonElement>? Items { get; init; }

    public StampOptions? Options { get; init; }

    /// <summary>
    /// The request from its parsed body, the items borrowed from the body's document (see
    /// <see cref="BatchItems.Borrow"/>): valid while the body is.
    /// </summary>
    public static BatchRequest Read(JsonElement body)
    {
        var fields = JsonBody.Bind<BatchFields>(body);
        return new BatchRequest { Namespace = fields.Namespace, Options = fields.Options, Items = BatchItems.Borrow(body) };
    }

    /// <summary>The request's fields but its items, bound alone: the binder skips the items without copying them.</summary>
    sealed record class BatchFields
    {
        public string? Namespace { get; init; }
        public StampOptions? Options { get; init; }
    }
}

/// <summary>Turns stamp requests into commands, refusing what the contract would refuse, with the JSON field at fault.</summary>
public static class StampRequestBinding
{
    /// <param name="prefix">The JSON path of the request within the body ("items[3]." in a batch), for error fields.</param>
    public static StampCommand ToCommand(this StampRequest request, string defaultNamespace, StampType defaultForm = StampType.Lightweight, string prefix = "") =>
        Command(request.Content, request.ContentBase64, request.Namespace ?? defaultNamespace, request.FilePath, request.ContentType,
            request.Metadata, request.IntelligenceData, request.OpId, request.Options is null ? defaultForm : StampForm(request.Options, prefix), prefix);

    /// <summary>The requested stamp form; lightweight when absent.</summary>
    /// Detached is not asked for: it is how bytes are stamped, whatever was asked.
    public static StampType StampForm(StampOptions? options, string prefix = "") => options?.StampType switch
    {
        null => StampType.Lightweight,
        var name when WireNames.TryParse<StampType>(name, out var form) && form is not StampType.Detached => form,
        var other => throw ApiException.Validation(prefix + "options.stamp_type",
            $"stamp_type must be {StampType.Lightweight.Wire()} or {StampType.Rich.Wire()}, not '{Shorten(other)}'"),
    };

    static StampCommand Command(string? content, string? base64, string namespaceName, string? filePath, string? contentType,
        Dictionary<string, string?>? metadata, JsonElement? intelligence, string? opId, StampType form, string prefix)
    {
        if (!NamespaceName.IsValid(namespaceName)) throw new ApiException(400, ErrorCodes.InvalidNamespace, prefix + "namespace", NamespaceName.Rule);
        if (content is null == base64 is null)
            throw ApiException.Validation(prefix + "content", content is null ? "content or content_base64 is required" : "give content or content_base64, not both");

        var command = new StampCommand
        {
            Namespace = namespaceName,
            Text = content,
            Binary = base64 is null ? null : Decode(base64, prefix + "content_base64"),
            FilePath = filePath,
            ContentType = contentType,
            Metadata = Metadata(metadata, prefix),
            IntelligenceDataJson = Intelligence(intelligence, prefix),
            OpId = opId is null ? null : Query.Uuid(opId, prefix + "op_id"),
            Form = form,
        };
        StampCommandRules.Check(command, prefix);
        return command;
    }

    static byte[] Decode(string base64, string field)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw ApiException.Validation(field, "content_base64 is not valid base64");
        }
    }

    static Dictionary<string, string>? Metadata(Dictionary<string, string?>? metadata, string prefix)
    {
        if (metadata is null) return null;
        var strings = new Dictionary<string, string>(metadata.Count, StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            strings[key] = value ?? throw ApiException.Validation($"{prefix}metadata.{key}", "metadata values must be strings");
        }
        return strings;
    }

    static string? Intelligence(JsonElement? intelligence, string prefix) => intelligence switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Object } data => data.GetRawText(),
        _ => throw ApiException.Validation(prefix + "intelligence_data", "intelligence_data must be a JSON object"),
    };

    static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
