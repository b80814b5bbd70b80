using System.Reflection;
using HandlebarsDotNet;
using Microsoft.Extensions.Options;

namespace OmniBridge.Grains.Codegen;

/// <summary>
/// The Handlebars.Net templates embedded in this assembly, compiled on first use and kept in a
/// least-recently-used cache (hits and misses counted in the metrics). Output is code, not HTML:
/// nothing is escaped, which is why the model only ever hands the templates literals and plain text.
/// </summary>
public sealed class NodeTemplates
{
    const string Prefix = "templates/";
    readonly IHandlebars handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
    readonly Dictionary<string, string> sources;
    readonly Dictionary<string, LinkedListNode<(string Name, HandlebarsTemplate<object, object> Render)>> cached = [];
    readonly LinkedList<(string Name, HandlebarsTemplate<object, object> Render)> recency = new();
    readonly Lock gate = new();
    readonly int capacity;
    readonly GrainMetrics metrics;

    public NodeTemplates(IOptions<CodegenOptions> options, GrainMetrics metrics)
    {
        capacity = Math.Max(1, options.Value.TemplateCacheSize);
        this.metrics = metrics;
        var assembly = typeof(NodeTemplates).Assembly;
        sources = assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            // Resource names carry the folder separator of the machine that built them.
            .ToDictionary(n => n[Prefix.Length..^".hbs".Length].Replace('\\', '/'), n => Read(assembly, n));
        foreach (var (name, text) in sources.Where(s => s.Key.StartsWith("partials/", StringComparison.Ordinal)))
            handlebars.RegisterTemplate(name["partials/".Length..], text);
    }

    public long Hits { get; private set; }
    public long Misses { get; private set; }

    /// <summary>The file at <paramref name="path"/> of the package the model describes.</summary>
    public string Render(string path, object model) => Compiled(PackageLayout.TemplateOf(path))(model);

    HandlebarsTemplate<object, object> Compiled(string name)
    {
        lock (gate)
        {
            if (cached.TryGetValue(name, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                Hits++;
                metrics.TemplateCache(hit: true);
                return node.Value.Render;
            }
            var source = sources.GetValueOrDefault(name) ?? throw new InvalidOperationException($"no template for {name}");
            var render = handlebars.Compile(source);
            Misses++;
            metrics.TemplateCache(hit: false);
            cached[name] = recency.AddFirst((name, render));
            while (cached.Count > capacity)
            {
                cached.Remove(recency.Last!.Value.Name);
                recency.RemoveLast();
            }
            return render;
        }
    }

    static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
