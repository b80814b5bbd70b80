using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api.Security;

/// <summary>
/// A service with API keys (docs/protocol.md, "Security"), configured the way an operator does it: only the keys'
/// SHA-256 digests are in the configuration. Tenants a and b each own their namespaces.
/// </summary>
public sealed class SecuredService : SiloApp
{
    public static readonly TestKey TenantA = new("tenant-a", ["tenant.a", "tenant.a.*"], ["read", "write"]);
    public static readonly TestKey TenantB = new("tenant-b", ["tenant.b.*"], ["read", "write"]);
    public static readonly TestKey ReadOnlyA = new("reader-a", ["tenant.a.*"], ["read"]);
    public static readonly TestKey Admin = new("operator", ["*"], ["admin"]);
    public static readonly TestKey Limited = new("limited", ["tenant.l"], ["read"], RequestsPerMinute: 5);
    static readonly TestKey[] All = [TenantA, TenantB, ReadOnlyA, Admin, Limited];

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>();
            for (var i = 0; i < All.Length; i++)
            {
                var key = All[i];
                var prefix = $"Security:ApiKeys:{i}:";
                settings[prefix + "Name"] = key.Name;
                settings[prefix + "KeySha256"] = key.Sha256;
                for (var n = 0; n < key.Namespaces.Length; n++) settings[$"{prefix}Namespaces:{n}"] = key.Namespaces[n];
                for (var s = 0; s < key.Scopes.Length; s++) settings[$"{prefix}Scopes:{s}"] = key.Scopes[s];
                if (key.RequestsPerMinute is { } rate) settings[prefix + "RequestsPerMinute"] = rate.ToString(CultureInfo.InvariantCulture);
            }
            return settings;
        }
    }

    /// <summary>A client that presents <paramref name="key"/> (as a bearer token, or in X-API-Key).</summary>
    public HttpClient As(TestKey? key, bool header = false)
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        if (key is null) return http;
        if (header) http.DefaultRequestHeaders.Add("X-API-Key", key.Secret);
        else http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
        return http;
    }
}

/// <summary>A key as its owner holds it; the service is told only its SHA-256.</summary>
public sealed record class TestKey(string Name, string[] Namespaces, string[] Scopes, int? RequestsPerMinute = null)
{
    public string Secret { get; } = "obk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)));
}
