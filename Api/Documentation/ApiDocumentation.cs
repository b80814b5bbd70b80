using Microsoft.OpenApi;
using OmniBridge.Api.Security;
using Scalar.AspNetCore;

namespace OmniBridge.Api.Documentation;

/// <summary>
/// The OpenAPI document at /openapi/v1.json and the interactive page over it at /docs (Scalar), as
/// users of the original's FastAPI /docs expect: the two ways of presenting a key as security
/// schemes, so "try it" works on a secured service; request bodies, with the README's examples,
/// are described by each endpoint (<see cref="Requests.EndpointConventions.DocumentsBody"/>).
/// </summary>
public static class ApiDocumentation
{
    public const string PagePath = "/docs";

    public static IServiceCollection AddOmniBridgeDocumentation(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddSchemaTransformer(RecordLimitsSchema.TransformAsync);
        o.AddSchemaTransformer(StampedTextSchema.TransformAsync);
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "OmniBridge.Orleans";
            document.Info.Description = "BLAKE3 metadata stamping in the O.N.E. v0.1 format. Every response is a UnifiedResponse. " +
                "With API keys configured, present one as a bearer token (the Authorization header) or in the X-API-Key header.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key as a bearer token",
            };
            document.Components.SecuritySchemes["api_key"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyMiddleware.KeyHeader, Description = "An API key in its own header",
            };
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("api_key", document)] = [] },
            ];
            return Task.CompletedTask;
        });
    });

    /// <summary>
    /// Maps the document and the page. Both need the read scope when keys are configured and, as
    /// pages a browser opens, accept a key by HTTP Basic as well.
    /// </summary>
    public static IEndpointRouteBuilder MapOmniBridgeDocumentation(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().RequireScope(ApiScope.Read).OpenedByBrowsers();
        app.MapScalarApiReference(PagePath, o => o
                .WithTitle("OmniBridge.Orleans API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableTelemetry()
                .DisableDefaultFonts()
                // Nothing that calls out of the page: no AI agent, no hosted developer tools.
                .DisableAgent()
                .HideDeveloperTools())
            .RequireScope(ApiScope.Read).OpenedByBrowsers();
        return app;
    }
}
