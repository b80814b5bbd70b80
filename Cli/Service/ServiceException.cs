namespace OmniBridge.Cli.Service;

/// <summary>The service could not be reached, or refused or failed a request the command needed (exit code 2).</summary>
public sealed class ServiceException(string message, int? status = null, string? code = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status, when the service answered.</summary>
    public int? Status { get; } = status;

    /// <summary>The error code of the service's answer (<c>STAMP_NOT_FOUND</c>, ...), when it gave one.</summary>
    public string? Code { get; } = code;
}
