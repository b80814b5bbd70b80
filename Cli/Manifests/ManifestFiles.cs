using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OmniBridge.Cli.Manifests;

/// <summary>Reading and writing the manifest and the proofs file: snake_case JSON, written whole or not at all.</summary>
public static class ManifestFiles
{
    /// <summary>The file's content, or null when there is no such file.</summary>
    /// <exception cref="InvalidDataException">The file is not a manifest (or proofs file) of this version.</exception>
    public static Manifest? ReadManifest(string path) => Read(path, ManifestJson.Files.Manifest, "manifest");

    /// <inheritdoc cref="ReadManifest"/>
    public static ProofsFile? ReadProofs(string path) => Read(path, ManifestJson.Files.ProofsFile, "proofs file");

    static T? Read<T>(string path, JsonTypeInfo<T> type, string what) where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var file = File.OpenRead(path);
            return JsonSerializer.Deserialize(file, type) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a readable {what}: {e.Message}", e);
        }
    }

    /// <summary>The manifest's JSON text, ending in a line feed.</summary>
    public static byte[] Serialize(Manifest manifest) => [.. JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson.Files.Manifest), (byte)'\n'];

    /// <summary>The proofs file's JSON text, ending in a line feed.</summary>
    public static byte[] Serialize(ProofsFile proofs) => [.. JsonSerializer.SerializeToUtf8Bytes(proofs, ManifestJson.Files.ProofsFile), (byte)'\n'];

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="bytes"/> atomically: written beside it,
    /// flushed to the disk, then renamed over it, so a reader (or a crash) never sees half a file.
    /// </summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            if (File.Exists(path) && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
