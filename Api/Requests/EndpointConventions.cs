using Microsoft.OpenApi;
using OmniBridge.Api.Documentation;
using OmniBridge.Api.Responses;

namespace OmniBridge.Api.Requests;

/// <summary>How every API endpoint is described: its operation name, a summary, and its error responses in the OpenAPI document.</summary>
public static class EndpointConventions
{
    public static RouteHandlerBuilder WithOperation(this RouteHandlerBuilder endpoint, string operation, string summary) =>
        endpoint.WithMetadata(new ApiOperation(operation)).WithName(operation).WithSummary(summary);

    /// <summary>
    /// Documents the request body in the OpenAPI document without making the content type a
    /// routing constraint (a wrong Content-Type must reach the handler and get its own 415), with
    /// the README's requests to this endpoint as its JSON examples.
    /// </summary>
    public static RouteHandlerBuilder DocumentsBody<T>(this RouteHandlerBuilder endpoint, params string[] contentTypes) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            var examples = ReadmeExamples.For("/" + context.Description.RelativePath?.TrimEnd('/'));
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = contentTypes.ToDictionary(type => type, type => new OpenApiMediaType
                {
                    Schema = schema,
                    Examples = type == "application/json" && examples.Count > 0
                        ? examples.Select((body, i) => (Name: $"readme_{i + 1}", Body: body))
                            .ToDictionary(e => e.Name, e => (IOpenApiExample)new OpenApiExample { Summary = $"README example {e.Name[7..]}", Value = e.Body })
                        : null,
                }),
            };
        });

    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder endpoint, params int[] statusCodes)
    {
        foreach (var status in statusCodes) endpoint.Produces<UnifiedResponse<object>>(status);
        return endpoint;
    }
}
