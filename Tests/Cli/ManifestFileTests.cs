using System.Text;
using OmniBridge.Cli.Manifests;

namespace OmniBridge.Tests.Cli;

/// <summary>The manifest's JSON as the tool reads and writes it (docs/cli.md, "The manifest").</summary>
public sealed class ManifestFileTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("omnibridge-manifest-").FullName;

    [Fact]
    public void A_manifest_written_reads_back_equal_and_a_manifest_without_a_version_reads_as_version_1()
    {
        var manifest = new Manifest
        {
            Namespace = "docs.manifest",
            Server = "http://localhost:8053",
            CreatedAt = new DateTime(2026, 12, 6, 22, 0, 0, DateTimeKind.Utc),
            Files = [new ManifestFile { Path = "ünïcødé/名前.txt", Size = 3, Blake3 = new string('a', 64), Sha256 = new string('b', 64), StampId = Guid.NewGuid(), LogIndex = 7 }],
        };
        var path = Path.Combine(folder, Manifest.DefaultName);
        ManifestFiles.WriteAtomically(path, ManifestFiles.Serialize(manifest));

        var text = File.ReadAllText(path, Encoding.UTF8);
        Assert.Contains("\"path\": \"ünïcødé/名前.txt\"", text, StringComparison.Ordinal);
        Assert.Contains("\"log_key\": null", text, StringComparison.Ordinal);
        var read = ManifestFiles.ReadManifest(path)!;
        Assert.Equal(manifest.Files, read.Files);
        Assert.Equal(1, read.Version);

        File.WriteAllText(path, text.Replace("\"version\": 1,", "", StringComparison.Ordinal));
        Assert.Equal(1, ManifestFiles.ReadManifest(path)!.Version);
    }

    [Fact]
    public void A_manifest_missing_a_required_field_is_refused_with_its_path()
    {
        var path = Path.Combine(folder, Manifest.DefaultName);
        File.WriteAllText(path, """{"version": 1, "server": "http://x", "created_at": "2026-12-06T22:00:00Z", "files": []}""");

        var refused = Assert.Throws<InvalidDataException>(() => ManifestFiles.ReadManifest(path));
        Assert.Contains(path, refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
