using System.Net;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>
/// Values PostgreSQL is pickier about than memory (NUL, broken surrogates, huge numbers, long
/// names) are refused with a 4xx or stored and read back intact, never a 500.
/// </summary>
public sealed class PostgresEdgeInputTests(PostgresService service) : IClassFixture<PostgresService>
{
    HttpClient Http => service.Silo.Http;

    /// <summary>Each with content of its own, so that each one that is stored is a new record and is read back.</summary>
    public static IEnumerable<object[]> Bodies() =>
    [
        ["{\"content\": \"edge 1\", \"metadata\": {\"k\": \"a\\u0000b\"}}"],
        ["{\"content\": \"edge 2\", \"metadata\": {\"\\u0000\": \"v\"}}"],
        ["{\"content\": \"edge 3\", \"intelligence_data\": {\"n\": 1e1000000}}"],
        ["{\"content\": \"edge 4\", \"intelligence_data\": {\"s\": \"\\u0000\"}}"],
        ["{\"content\": \"edge 5\", \"file_path\": \"a\\u0000b\"}"],
        ["{\"content\": \"edge 6\", \"file_path\": \"\\ud800\"}"],
        ["{\"content\": \"edge 7\", \"content_type\": \"text/\\u00e9\"}"],
        ["{\"content\": \"\\u0000 NUL in content is fine: it is hashed, not stored\", \"namespace\": \"pg.edge\"}"],
        ["{\"content\": \"edge 8\", \"intelligence_data\": {\"big\": 1.7e308, \"tiny\": 1e-400, \"deep\": [[[[\"é😀\"]]]]}, \"namespace\": \"pg.edge\"}"],
        ["{\"content\": \"x2\", \"file_path\": \"" + new string('p', 1024) + "\", \"namespace\": \"pg.edge\"}"],
        ["{\"content\": \"x3\", \"namespace\": \"" + string.Join('.', Enumerable.Repeat("abcdefghijklmno", 16)) + "\"}"],
        ["{\"content\": \"x4\", \"metadata\": {\"ключ\": \"значение 😀\"}, \"namespace\": \"pg.edge\"}"],
    ];

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Edge_values_are_refused_or_stored_and_read_back_never_a_500(string body)
    {
        var reply = await Http.PostRawAsync(ApiCalls.Base + "/stamp", body, "application/json");
        Assert.True((int)reply.Status < 500, reply.ToString());
        if (reply.Status != HttpStatusCode.Created) return;

        var ns = reply.Data.GetProperty("namespace").GetString();
        var read = await Http.GetReplyAsync($"{ApiCalls.Base}/stamp/{reply.Data.GetProperty("file_hash").GetString()}?namespace={ns}");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(reply.Data.GetProperty("metadata").GetRawText(), read.Data.GetProperty("metadata").GetRawText());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}")).Status);
    }
}
