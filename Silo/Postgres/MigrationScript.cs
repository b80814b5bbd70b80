using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace OmniBridge.Silo.Postgres;

/// <summary>One numbered script of sql/, embedded in the silo: <c>0005_metadata_stamps.sql</c> is version 5.</summary>
public sealed record class MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the text with line endings normalised, so a checkout with CRLF is not "changed".</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.Replace("\r\n", "\n", StringComparison.Ordinal))));

    /// <summary>Every script shipped with this silo, in order.</summary>
    public static IReadOnlyList<MigrationScript> Embedded { get; } = Load(typeof(MigrationScript).Assembly);

    static List<MigrationScript> Load(Assembly assembly)
    {
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("sql/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var name = resource["sql/".Length..];
            var digits = new string(name.TakeWhile(char.IsAsciiDigit).ToArray());
            if (digits.Length == 0) throw new InvalidOperationException($"migration script {name} does not start with its number");
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!, Encoding.UTF8);
            scripts.Add(new MigrationScript(int.Parse(digits, CultureInfo.InvariantCulture), name, reader.ReadToEnd()));
        }
        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"two migration scripts have number {duplicate.Key}");
        return [.. scripts.OrderBy(s => s.Version)];
    }
}
