using System.IO.Compression;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Api.Codegen;

/// <summary>A generated package as a zip, every file under a folder named after the service.</summary>
public static class NodePackageZip
{
    public const string MediaType = "application/zip";

    public static byte[] Of(GenerationResult result)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in result.Files)
            {
                var entry = zip.CreateEntry($"{result.ServiceName}/{file.Path}", CompressionLevel.Optimal);
                using var writer = new StreamWriter(entry.Open(), new System.Text.UTF8Encoding(false));
                writer.Write(file.Content);
            }
        }
        return buffer.ToArray();
    }

    public static IResult Download(GenerationResult result) =>
        Results.File(Of(result), MediaType, $"{result.ServiceName}.zip");
}
