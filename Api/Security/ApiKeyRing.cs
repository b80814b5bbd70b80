using System.Security.Cryptography;
using System.Text;
using OmniBridge.Client.Configuration;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Security;

/// <summary>
/// The configured keys (docs/protocol.md, "Security"): <c>Security:ApiKeys:N:Name</c>, <c>KeySha256</c>, <c>Namespaces:M</c>,
/// <c>Scopes:M</c>, <c>RequestsPerMinute</c>. Only digests are configured; a presented key is hashed
/// and compared with every digest in constant time. No key configured: the service is open.
/// </summary>
public sealed class ApiKeyRing(IReadOnlyList<ApiKey> keys)
{
    public IReadOnlyList<ApiKey> Keys { get; } = keys;

    /// <summary>Whether keys are required at all.</summary>
    public bool Enabled => Keys.Count > 0;

    /// <summary>The key whose digest is the presented key's SHA-256, or null.</summary>
    public ApiKey? Find(string presented)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        ApiKey? found = null;
        // Every digest is compared, whatever matched: the time taken says nothing about which key.
        foreach (var key in Keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, key.Digest)) found = key;
        }
        return found;
    }

    /// <exception cref="InvalidSettingException">A key's entry is incomplete or invalid (named by its environment form).</exception>
    public static ApiKeyRing From(IConfiguration config)
    {
        var keys = new List<ApiKey>();
        foreach (var entry in config.GetSection("Security:ApiKeys").GetChildren().OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            string Name(string field) => $"Security__ApiKeys__{entry.Key}__{field}";
            var name = entry["Name"] is { Length: > 0 } given && ClusterSettings.IsIdentifier(given)
                ? given : throw new InvalidSettingException(Name("Name"), entry["Name"] ?? "", "expected a name of letters, digits, '.', '_' or '-'");
            var hex = entry["KeySha256"] ?? "";
            if (hex.Length != 64 || !hex.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
                throw new InvalidSettingException(Name("KeySha256"), hex.Length > 0 ? "(64 characters expected)" : "", "expected the key's SHA-256 as 64 lowercase hex characters, never the key");
            var namespaces = entry.GetSection("Namespaces").GetChildren().Select(c => c.Value ?? "").ToList();
            if (namespaces.Count == 0) throw new InvalidSettingException(Name("Namespaces"), "", "expected namespaces, 'prefix.*' patterns or '*'");
            if (namespaces.FirstOrDefault(n => !ApiKey.IsPattern(n)) is { } badPattern)
                throw new InvalidSettingException(Name("Namespaces"), badPattern, "expected namespaces, 'prefix.*' patterns or '*'");
            var scopes = new HashSet<ApiScope>();
            foreach (var scope in entry.GetSection("Scopes").GetChildren().Select(c => c.Value ?? ""))
            {
                scopes.Add(WireNames.TryParse<ApiScope>(scope.ToLowerInvariant(), out var named) ? named
                    : throw new InvalidSettingException(Name("Scopes"), scope, $"expected {string.Join(", ", WireNames.All<ApiScope>())}"));
            }
            if (scopes.Count == 0) throw new InvalidSettingException(Name("Scopes"), "", "expected at least one of read, write, admin");
            var rate = entry["RequestsPerMinute"] is { Length: > 0 } raw
                ? int.TryParse(raw, out var perMinute) && perMinute is > 0 and <= 10_000_000 ? perMinute
                    : throw new InvalidSettingException(Name("RequestsPerMinute"), raw, "expected a whole number from 1 to 10000000")
                : 0;
            var key = new ApiKey(name, Convert.FromHexString(hex), namespaces, scopes, rate);
            if (keys.Any(k => k.Name == name)) throw new InvalidSettingException(Name("Name"), name, "another key has this name");
            if (keys.Any(k => k.Digest.AsSpan().SequenceEqual(key.Digest))) throw new InvalidSettingException(Name("KeySha256"), "(hidden)", "another key has this digest");
            keys.Add(key);
        }
        return new ApiKeyRing(keys);
    }
}
