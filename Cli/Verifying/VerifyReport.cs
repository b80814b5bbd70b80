using System.Text.Json;
using OmniBridge.Cli.Hashing;
using OmniBridge.Cli.Output;
using Spectre.Console;

namespace OmniBridge.Cli.Verifying;

/// <summary>What <c>verify</c> found, as a table for people or as JSON for machines (docs/cli.md, "verify").</summary>
public sealed record class VerifyReport(IReadOnlyList<FileFinding> Files, long? CheckpointSize, bool? Consistent, string? CheckpointProblem)
{
    public bool Ok => CheckpointProblem is null && Consistent != false && Files.All(f => f.Status == FileStatus.Ok);

    public int ExitCode => Ok ? ExitCodes.Ok : ExitCodes.Mismatch;

    public void WriteJson(Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteBoolean("ok", Ok);
        json.WriteStartArray("files");
        foreach (var file in Files)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteString("status", file.Status.Wire());
            if (file.Detail is not null) json.WriteString("detail", file.Detail);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("checkpoint");
        if (CheckpointSize is { } size) json.WriteNumber("size", size);
        else json.WriteNull("size");
        if (Consistent is { } consistent) json.WriteBoolean("consistent", consistent);
        else json.WriteNull("consistent");
        if (CheckpointProblem is not null) json.WriteString("problem", CheckpointProblem);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>The files that are not ok in a table (names escaped like b3sum's), then one line for the whole tree.</summary>
    public void WriteTable(Terminal terminal)
    {
        var console = terminal.Output;
        var problems = Files.Where(f => f.Status != FileStatus.Ok).ToList();
        if (problems.Count > 0)
        {
            var table = new Table().AddColumn("status").AddColumn("path").AddColumn("detail");
            foreach (var file in problems)
            {
                table.AddRow(new Markup($"[{Colour(file.Status)}]{file.Status.Wire()}[/]"), new Text(B3sumNames.Display(file.Path)), new Text(file.Detail ?? ""));
            }
            console.Write(table);
        }
        var ok = Files.Count(f => f.Status == FileStatus.Ok);
        var log = CheckpointProblem is not null ? $"; [red]checkpoint: {Markup.Escape(CheckpointProblem)}[/]"
            : Consistent == true ? $"; log checkpoint of {CheckpointSize} leaves verified" : "";
        console.MarkupLine(Ok
            ? $"[green]ok[/]: {ok} files match the manifest{log}"
            : $"[red]mismatch[/]: {problems.Count} of {Files.Count} files{log}");
    }

    static string Colour(FileStatus status) => status switch
    {
        FileStatus.Modified => "yellow",
        FileStatus.Added => "blue",
        _ => "red",
    };
}
