using System.Globalization;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Errors;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Api.Requests;

/// <summary>Query-string parameters, each given at most once and checked like body fields.</summary>
public static class Query
{
    /// <summary>The single value of <paramref name="name"/>, or null when absent; repeated is a VALIDATION_ERROR.</summary>
    public static string? Value(HttpContext http, string name)
    {
        var values = http.Request.Query[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw ApiException.Validation(name, $"give {name} at most once"),
        };
    }

    /// <summary>The <c>namespace</c> parameter, or DEFAULT_NAMESPACE.</summary>
    public static string Namespace(HttpContext http, ApiSettings settings) =>
        CheckedNamespace(Value(http, "namespace") ?? settings.DefaultNamespace, "namespace");

    public static string CheckedNamespace(string namespaceName, string field) =>
        NamespaceName.IsValid(namespaceName) ? namespaceName : throw new ApiException(400, ErrorCodes.InvalidNamespace, field, NamespaceName.Rule);

    /// <summary>
    /// <paramref name="text"/> as a UUID in its usual form (8-4-4-4-12 hex digits); anything else is
    /// a VALIDATION_ERROR on <paramref name="field"/> (a JSON path such as <c>items[3].op_id</c>).
    /// </summary>
    public static Guid Uuid(string text, string field) =>
        Guid.TryParseExact(text, "D", out var id) ? id : throw ApiException.Validation(field, $"{field[(field.LastIndexOf('.') + 1)..]} must be a UUID");

    public static int WholeNumber(HttpContext http, string name, int fallback, int min, int max)
    {
        if (Value(http, name) is not { } raw) return fallback;
        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw ApiException.Validation(name, $"{name} must be a whole number from {min} to {max}");
    }
}
