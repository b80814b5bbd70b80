using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniBridge.Grains;
using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Tests.Grains.Codegen;

/// <summary>The code generator's parts as the silo wires them, without a silo; and python3 to judge what they make.</summary>
public sealed class CodegenKit
{
    public CodegenKit(int cacheSize = 64)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var options = Options.Create(new CodegenOptions { TemplateCacheSize = cacheSize });
        Templates = new NodeTemplates(options, new GrainMetrics(meters));
        Renderer = new PackageRenderer(Templates);
        Validation = new PackageValidation(new PythonSyntax(options));
    }

    public NodeTemplates Templates { get; }
    public PackageRenderer Renderer { get; }
    public PackageValidation Validation { get; }

    public IReadOnlyList<GeneratedFile> Render(NodeRequirements requirements) => Renderer.RenderAll(NodePlan.For(requirements));

    /// <summary>Writes the package under a new folder as <c>&lt;folder&gt;/&lt;service_name&gt;/...</c> and returns the folder.</summary>
    public static string WriteOut(string serviceName, IEnumerable<GeneratedFile> files)
    {
        var root = Directory.CreateTempSubdirectory("codegen-test-").FullName;
        foreach (var file in files)
        {
            var path = Path.Combine(root, serviceName, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
        }
        return root;
    }

    /// <summary>Runs python3 with <paramref name="arguments"/> in <paramref name="folder"/>; exit code and everything it printed.</summary>
    public static async Task<(int Exit, string Output)> PythonAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("python3") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-B");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await errors);
    }

    public static NodeRequirements Requirements(string nodeType, string serviceName, string description, string[] operations,
        string[]? features = null, IReadOnlyList<string>? mixins = null) => new()
        {
            NodeType = nodeType,
            ServiceName = serviceName,
            Domain = "testing",
            BusinessDescription = description,
            Operations = operations,
            Features = features ?? [],
            Mixins = mixins,
        };
}
