using OmniBridge.Api.Configuration;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Api.Stamping;

/// <summary>Checking stamps: /validate (do they match the content?) and /validate-protocol (are they proper O.N.E. v0.1?).</summary>
public static class ValidationEndpoints
{
    public const string TargetProtocol = "O.N.E.v0.1";

    public static RouteGroupBuilder MapValidation(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(ApiComposition.BasePath).WithTags(ApiComposition.StampingTag);
        group.MapPost("/validate", ValidateAsync)
            .WithOperation("validate_stamps", "Whether the content's stamps match it")
            .DocumentsBody<ValidateRequest>("application/json")
            .Produces<UnifiedResponse<ValidationView>>()
            .ProducesErrors(400, 413, 415, 503);
        group.MapPost("/validate-protocol", ValidateProtocolAsync)
            .WithOperation("validate_protocol", "Whether the content's stamps are well-formed O.N.E. v0.1")
            .DocumentsBody<ProtocolValidationRequest>("application/json")
            .Produces<UnifiedResponse<ProtocolValidationView>>()
            .ProducesErrors(400, 413, 415, 503);
        return group;
    }

    static async Task<IResult> ValidateAsync(HttpContext http, ServiceGrains grains, ApiSettings settings)
    {
        var request = await JsonBody.ReadAsync<ValidateRequest>(http, settings.MaxContentBytes);
        // The namespace only scopes who may ask and the validated event; stored records are never consulted.
        var namespaceName = Query.CheckedNamespace(request.Namespace ?? settings.DefaultNamespace, "namespace");
        http.SetNamespace(namespaceName);
        var content = RequiredText(request.Content);
        var expected = request.Options?.ExpectedHash;
        if (expected is not null && !FileHash.IsValid(expected))
            throw new ApiException(400, ErrorCodes.InvalidHashFormat, "options.expected_hash", "expected_hash must be 64 lowercase hex characters");

        var report = await ClusterCalls.RetryAsync(() => grains.StampWorker.ValidateAsync(new ValidationCommand { Text = content, ExpectedHash = expected, Namespace = namespaceName }));
        return Unified.Success(ValidationView.From(report), report.IsValid ? "stamps are valid" : $"stamps are not valid: {report.Reason}");
    }

    static async Task<IResult> ValidateProtocolAsync(HttpContext http, ServiceGrains grains, ApiSettings settings)
    {
        var request = await JsonBody.ReadAsync<ProtocolValidationRequest>(http, settings.MaxContentBytes);
        http.NoteNamespace(Query.CheckedNamespace(request.Namespace ?? settings.DefaultNamespace, "namespace"));
        var content = RequiredText(request.Content);
        if ((request.TargetProtocol ?? TargetProtocol) != TargetProtocol)
            throw ApiException.Validation("target_protocol", $"target_protocol must be {TargetProtocol}, the only protocol this service validates");
        var level = request.ValidationLevel switch
        {
            null => ProtocolValidationLevel.Basic,
            var name when WireNames.TryParse<ProtocolValidationLevel>(name, out var named) => named,
            _ => throw ApiException.Validation("validation_level", $"validation_level must be one of {string.Join(", ", WireNames.All<ProtocolValidationLevel>())}"),
        };

        var report = await ClusterCalls.RetryAsync(() => grains.StampWorker.ValidateProtocolAsync(new ProtocolValidationCommand { Text = content, Level = level }));
        return Unified.Success(new ProtocolValidationView(report), $"compliance: {report.ComplianceLevel.Wire()}");
    }

    static string RequiredText(string? content)
    {
        if (content is null) throw ApiException.Validation("content", "content is required");
        if (StampFields.UnicodeProblem(content, "content") is { } problem) throw ApiException.Validation("content", problem);
        return content;
    }
}
