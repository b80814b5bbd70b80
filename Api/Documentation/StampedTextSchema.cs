using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Api.Documentation;

/// <summary>
/// A stamp's and a batch item's <c>stamped_content</c> is held as its pieces but written as one string
/// (<see cref="Stamping.StampedPiecesConverter"/>): the document describes the string.
/// </summary>
public static class StampedTextSchema
{
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if ((Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type) == typeof(StampedPieces))
        {
            schema.Type = JsonSchemaType.String | JsonSchemaType.Null;
            schema.Properties?.Clear();
            schema.Required?.Clear();
            schema.Description = "The content with its stamp; null for bytes (stamped detached).";
        }
        return Task.CompletedTask;
    }
}
