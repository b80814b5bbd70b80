using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OmniBridge.Api.Stamping;
using OmniBridge.Api.Workflows;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Documentation;

/// <summary>
/// The record limits (docs/protocol.md, "Limits") in the OpenAPI document, from the numbers the
/// contract's rules check (<see cref="Limits"/>): JSON Schema keywords where one says it
/// (maxLength counts characters, maxProperties entries), a description where none does (sizes in
/// bytes). A batch's and a workflow's items are described as the stamp request they are.
/// </summary>
public static class RecordLimitsSchema
{
    public static async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (typeof(StampRequest).IsAssignableFrom(type)) DescribeRecordFields(schema);
        else if (type == typeof(BatchRequest) || type == typeof(StartWorkflowRequest))
        {
            if (Property(schema, "items") is not { } items) return;
            items.MinItems = 1;
            items.MaxItems = Limits.BatchItems;
            items.Items = await context.GetOrCreateSchemaAsync(typeof(BatchItemRequest), null, cancellationToken);
        }
    }

    static void DescribeRecordFields(OpenApiSchema schema)
    {
        if (Property(schema, "file_path") is { } path)
        {
            path.MaxLength = Limits.FilePathCharacters;
            path.Description = $"Where the content lives; at most {Limits.FilePathCharacters} characters, no control characters, no <!-- or -->.";
        }
        if (Property(schema, "content_type") is { } contentType)
        {
            contentType.MaxLength = Limits.ContentTypeCharacters;
            contentType.Description = $"A media type such as text/plain; at most {Limits.ContentTypeCharacters} characters.";
        }
        if (Property(schema, "metadata") is { } metadata)
        {
            metadata.MaxProperties = Limits.MetadataEntries;
            metadata.Description = $"A JSON object of strings: at most {Limits.MetadataEntries} entries, keys of at most {Limits.MetadataKeyCharacters} " +
                $"characters, values of at most {Limits.MetadataValueBytes} bytes (16 KiB) of UTF-8, and at most {Limits.MetadataBytes} bytes (64 KiB) " +
                "in all as compact UTF-8 JSON (strings escaped only where JSON requires).";
        }
        if (Property(schema, "intelligence_data") is { } intelligence)
        {
            intelligence.Description = $"A JSON object, kept on the record: at most {Limits.IntelligenceDataBytes} bytes (64 KiB) as compact UTF-8 JSON, " +
                $"nested at most {Limits.IntelligenceDataDepth} levels deep.";
        }
    }

    static OpenApiSchema? Property(OpenApiSchema schema, string name) =>
        schema.Properties is { } properties && properties.TryGetValue(name, out var property) ? property as OpenApiSchema : null;
}
