using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// Stamp requests at the record limits of docs/protocol.md, "Limits" (the numbers written out here,
/// not read from the code under test), as the JSON fields of a request and as a grain command.
/// </summary>
public static class RecordLimitSamples
{
    /// <summary>One limit: fields exactly at it, fields one past it, the field a refusal names and the number it quotes.</summary>
    public sealed record class Edge(string Name, string Field, string Limit, Func<JsonObject> AtLimit, Func<JsonObject> Past)
    {
        public override string ToString() => Name;
    }

    const string Emoji = "\U0001F600";   // one character, two UTF-16 units, four bytes of UTF-8

    public static IReadOnlyList<Edge> Edges { get; } =
    [
        new("metadata entries", "metadata", "256", () => Fields(metadata: Entries(256)), () => Fields(metadata: Entries(257))),
        // Characters are code points: 256 emoji are 512 UTF-16 units.
        new("metadata key characters", "metadata." + Repeat(Emoji, 257), "256",
            () => Fields(metadata: new() { [Repeat(Emoji, 256)] = "v" }), () => Fields(metadata: new() { [Repeat(Emoji, 257)] = "v" })),
        // Value sizes are UTF-8 bytes: 8,192 "é" are 16 KiB.
        new("metadata value bytes", "metadata.v", "16384",
            () => Fields(metadata: new() { ["v"] = Repeat("é", 8192) }), () => Fields(metadata: new() { ["v"] = Repeat("é", 8192) + "a" })),
        new("metadata object bytes", "metadata", "65536", () => Fields(metadata: MetadataOfBytes(65536)), () => Fields(metadata: MetadataOfBytes(65537))),
        new("intelligence_data bytes", "intelligence_data", "65536",
            () => Fields(intelligence: IntelligenceOf(65536, depth: 1)), () => Fields(intelligence: IntelligenceOf(65537, depth: 1))),
        new("intelligence_data depth", "intelligence_data", "32",
            () => Fields(intelligence: IntelligenceOf(200, depth: 32)), () => Fields(intelligence: IntelligenceOf(200, depth: 33))),
        new("file_path characters", "file_path", "1024",
            () => Fields(filePath: new string('p', 1022) + Emoji + Emoji), () => Fields(filePath: new string('p', 1025))),
        new("content_type characters", "content_type", "1024",
            () => Fields(contentType: ContentTypeOf(1024)), () => Fields(contentType: ContentTypeOf(1025))),
    ];

    /// <summary>The edges by name, for theories.</summary>
    public static TheoryData<string> EdgeNames() => [.. Edges.Select(e => e.Name)];

    public static Edge EdgeNamed(string name) => Edges.Single(e => e.Name == name);

    /// <summary>
    /// A record at every limit at once, written with the characters that grow most when a JSON
    /// encoder escapes them (<c>&lt;</c> becomes <c>\u003C</c>, six bytes for one): 256 metadata
    /// entries, one with a key of 256 characters and one with a value of 16 KiB, 64 KiB of metadata
    /// in all; 64 KiB of intelligence_data nested 32 deep; file_path and content_type of 1,024 characters.
    /// </summary>
    public static JsonObject AtEveryLimit()
    {
        var metadata = new Dictionary<string, string> { [new string('K', 256)] = new string('<', 16384) };
        for (var i = 1; i < 256; i++) metadata[$"k{i:D3}"] = "";
        var spare = 65536 - JsonBytes(metadata);
        for (var i = 1; spare > 0; i = i % 255 + 1, spare--) metadata[$"k{i:D3}"] += "<";
        Assert.Equal(65536, JsonBytes(metadata));
        return Fields(metadata, IntelligenceOf(65536, depth: 32, filler: '<'), new string('<', 1024), ContentTypeOf(1024, filler: '<'));
    }

    /// <summary>A stamp request's JSON: the content, the namespace, a rich stamp (it writes file_path and content_type again), and <paramref name="fields"/>.</summary>
    public static JsonObject Request(string content, string ns, JsonObject fields)
    {
        var request = new JsonObject { ["content"] = content, ["namespace"] = ns, ["options"] = new JsonObject { ["stamp_type"] = "rich" } };
        foreach (var (name, value) in fields) request[name] = value?.DeepClone();
        return request;
    }

    /// <summary>The same request as a grain client sends it.</summary>
    public static StampCommand Command(string content, string ns, JsonObject fields) => new()
    {
        Namespace = ns,
        Text = content,
        Form = StampType.Rich,
        Metadata = fields["metadata"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()),
        IntelligenceDataJson = fields["intelligence_data"]?.ToJsonString(),
        FilePath = fields["file_path"]?.GetValue<string>(),
        ContentType = fields["content_type"]?.GetValue<string>(),
    };

    static JsonObject Fields(Dictionary<string, string>? metadata = null, JsonObject? intelligence = null, string? filePath = null, string? contentType = null)
    {
        var fields = new JsonObject();
        if (metadata is not null) fields["metadata"] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value)));
        if (intelligence is not null) fields["intelligence_data"] = intelligence;
        if (filePath is not null) fields["file_path"] = filePath;
        if (contentType is not null) fields["content_type"] = contentType;
        return fields;
    }

    static Dictionary<string, string> Entries(int count) => Enumerable.Range(0, count).ToDictionary(i => $"k{i}", i => $"v{i}");

    /// <summary>Metadata of exactly <paramref name="bytes"/> bytes as compact UTF-8 JSON, no value over 16 KiB.</summary>
    static Dictionary<string, string> MetadataOfBytes(int bytes)
    {
        var metadata = Enumerable.Range(0, 5).ToDictionary(i => $"k{i}", _ => "");
        var spare = bytes - JsonBytes(metadata);
        foreach (var key in metadata.Keys.ToList())
        {
            var take = Math.Min(spare, 16384);
            metadata[key] = new string('m', take);
            spare -= take;
        }
        Assert.Equal(bytes, JsonBytes(metadata));
        return metadata;
    }

    /// <summary>A JSON object nested <paramref name="depth"/> levels deep whose compact text is exactly <paramref name="bytes"/> bytes of UTF-8.</summary>
    static JsonObject IntelligenceOf(int bytes, int depth, char filler = 'i')
    {
        JsonObject Nest(string text)
        {
            var node = new JsonObject { ["s"] = text };
            for (var i = 1; i < depth; i++) node = new JsonObject { ["a"] = node };
            return node;
        }
        var spare = bytes - Encoding.UTF8.GetByteCount(Nest("").ToJsonString(Compact));
        var built = Nest(new string(filler, spare));
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(built.ToJsonString(Compact)));
        return built;
    }

    static string ContentTypeOf(int characters, char filler = 'x')
    {
        const string essence = "text/plain; name=";
        return essence + new string(filler, characters - essence.Length);
    }

    static string Repeat(string s, int times) => string.Concat(Enumerable.Repeat(s, times));

    /// <summary>Compact JSON with strings escaped only where JSON requires: how the limits measure.</summary>
    static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static int JsonBytes(Dictionary<string, string> metadata) => Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(metadata, Compact));
}
