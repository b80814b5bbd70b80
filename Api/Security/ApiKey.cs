using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Api.Security;

/// <summary>
/// One configured key (docs/protocol.md, "Security"): its name (for logs, never the key), the SHA-256 of the key, the
/// namespaces it may act in (exact names, <c>prefix.*</c>, or <c>*</c>), its scopes and its rate.
/// </summary>
public sealed record class ApiKey(string Name, byte[] Digest, IReadOnlyList<string> Namespaces, IReadOnlySet<ApiScope> Scopes, int RequestsPerMinute)
{
    public bool Has(ApiScope scope) => Scopes.Contains(ApiScope.Admin) || Scopes.Contains(scope);

    /// <summary>Whether the key may act in <paramref name="namespaceName"/> (asked for every item of a batch: it allocates nothing).</summary>
    public bool Allows(string namespaceName)
    {
        for (var i = 0; i < Namespaces.Count; i++)
        {
            if (Matches(Namespaces[i], namespaceName)) return true;
        }
        return false;
    }

    static bool Matches(string pattern, string namespaceName) =>
        pattern == "*"
        || pattern == namespaceName
        || (pattern.EndsWith(".*", StringComparison.Ordinal) && namespaceName.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal));

    /// <summary>Whether <paramref name="pattern"/> is a namespace, <c>prefix.*</c> of one, or <c>*</c>.</summary>
    public static bool IsPattern(string pattern) =>
        pattern == "*" || NamespaceName.IsValid(pattern) || (pattern.EndsWith(".*", StringComparison.Ordinal) && NamespaceName.IsValid(pattern[..^2]));
}
