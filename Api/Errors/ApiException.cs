using OmniBridge.Grains.Interfaces;
namespace OmniBridge.Api.Errors;

/// <summary>A request refused with an HTTP status and a stable code; the error middleware writes it as a UnifiedResponse.</summary>
public sealed class ApiException : Exception
{
    public ApiException() : this(400, ErrorCodes.ValidationError, null, "invalid request") { }

    public ApiException(string message) : this(400, ErrorCodes.ValidationError, null, message) { }

    public ApiException(string message, Exception inner) : base(message, inner)
    {
        Status = 400;
        Code = ErrorCodes.ValidationError;
    }

    public ApiException(int status, string code, string? field, string message) : base(message)
    {
        Status = status;
        Code = code;
        Field = field;
    }

    public int Status { get; }
    public string Code { get; }
    public string? Field { get; }

    public static ApiException Validation(string? field, string message) => new(400, ErrorCodes.ValidationError, field, message);

    public static ApiException PayloadTooLarge(long limit, string setting) =>
        new(413, ErrorCodes.PayloadTooLarge, null, $"the request body is larger than {limit} bytes ({setting})");
}
