namespace OmniBridge.Api.Requests;

/// <summary>Endpoint metadata naming the operation, as reported in responses and metrics (create_stamp, generate_hash, ...).</summary>
public sealed record class ApiOperation(string Name);
