using System.Net;
using System.Security.Cryptography;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

/// <summary>
/// The streaming door of POST /stamp (docs/protocol.md, "Streamed stamps"): an application/octet-stream
/// body with its fields in the query makes exactly the record that content_base64 of the same bytes makes.
/// </summary>
[Collection(SharedService.Name)]
public sealed class StreamedStampTests(SiloApp service)
{
    const string Stamp = ApiCalls.Base + "/stamp";
    readonly HttpClient http = service.Http;
    static string Ns() => "http.streamed.t" + Guid.NewGuid().ToString("N")[..10];

    static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Streamed_bytes_get_the_record_content_base64_of_the_same_bytes_gets()
    {
        var ns = Ns();
        var bytes = Bytes(3 << 20, 16);
        var streamed = await http.PostBytesAsync($"{Stamp}?namespace={ns}&file_path=dist/app.tar&content_type=application/x-tar", bytes, "application/octet-stream");
        var asJson = await http.PostJsonAsync(Stamp, new { content_base64 = Convert.ToBase64String(bytes), @namespace = ns });
        var again = await http.PostBytesAsync($"{Stamp}?namespace={ns}", bytes, "application/octet-stream");

        Assert.Equal(HttpStatusCode.Created, streamed.Status);
        var record = streamed.Data;
        Assert.True(record.GetProperty("created").GetBoolean());
        Assert.Equal(await B3sum.OfAsync(bytes), record.GetProperty("file_hash").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), record.GetProperty("sha256").GetString());
        Assert.Equal(bytes.Length, record.GetProperty("file_size").GetInt64());
        Assert.Equal("detached", record.GetProperty("stamp_type").GetString());
        Assert.Equal("dist/app.tar", record.GetProperty("file_path").GetString());
        Assert.Equal("application/x-tar", record.GetProperty("content_type").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, record.GetProperty("stamped_content").ValueKind);
        Assert.StartsWith($"# ONEX:uid={record.GetProperty("stamp_id").GetString()},hash={record.GetProperty("file_hash").GetString()},ts=",
            record.GetProperty("stamp").GetString(), StringComparison.Ordinal);
        foreach (var same in new[] { asJson, again })
        {
            Assert.Equal(HttpStatusCode.OK, same.Status);
            Assert.False(same.Data.GetProperty("created").GetBoolean());
            Assert.Equal(record.GetProperty("stamp_id").GetString(), same.Data.GetProperty("stamp_id").GetString());
        }
    }

    [Fact]
    public async Task The_same_bytes_through_either_door_in_two_namespaces_make_records_alike_but_for_id_and_time()
    {
        var bytes = Bytes(70_000, 17);
        var streamed = (await http.PostBytesAsync($"{Stamp}?namespace={Ns()}", bytes, "application/octet-stream")).Data;
        var asJson = (await http.PostJsonAsync(Stamp, new { content_base64 = Convert.ToBase64String(bytes), @namespace = Ns() })).Data;

        foreach (var field in new[] { "file_hash", "sha256", "file_size", "content_type", "stamp_type", "version", "metadata_version", "protocol_version" })
            Assert.Equal(asJson.GetProperty(field).GetRawText(), streamed.GetProperty(field).GetRawText());
        Assert.Equal(asJson.GetProperty("metadata").GetRawText(), streamed.GetProperty("metadata").GetRawText());
        Assert.Equal(asJson.GetProperty("intelligence_data").GetRawText(), streamed.GetProperty("intelligence_data").GetRawText());
    }

    [Fact]
    public async Task An_empty_body_is_the_record_of_no_bytes()
    {
        var reply = await http.PostBytesAsync($"{Stamp}?namespace={Ns()}", [], "application/octet-stream");
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal(await B3sum.OfAsync([]), reply.Data.GetProperty("file_hash").GetString());
        Assert.Equal(0, reply.Data.GetProperty("file_size").GetInt64());
    }

    [Theory]
    [InlineData("namespace=Bad..Name", "INVALID_NAMESPACE", "namespace")]
    [InlineData("namespace=ok.ns&namespace=other.ns", "VALIDATION_ERROR", "namespace")]
    [InlineData("namespace=ok.ns&file_path=a%0Ab", "VALIDATION_ERROR", "file_path")]
    [InlineData("namespace=ok.ns&file_path=", "VALIDATION_ERROR", "file_path")]
    [InlineData("namespace=ok.ns&content_type=not-a-media-type", "VALIDATION_ERROR", "content_type")]
    public async Task A_bad_query_is_400_naming_its_field_and_stores_nothing(string query, string code, string field)
    {
        var bytes = Bytes(1000, query.Length);
        var reply = await http.PostBytesAsync($"{Stamp}?{query}", bytes, "application/octet-stream");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal((code, field), (reply.ErrorCode, reply.ErrorField));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetReplyAsync($"{Stamp}/{await B3sum.OfAsync(bytes)}?namespace=ok.ns")).Status);
    }

    [Fact]
    public async Task Other_media_types_are_still_415_and_a_missing_content_type_is_not_taken_for_a_stream()
    {
        var text = await http.PostBytesAsync($"{Stamp}?namespace={Ns()}", "hello"u8.ToArray(), "text/plain");
        var none = await http.PostBytesAsync($"{Stamp}?namespace={Ns()}", "hello"u8.ToArray(), null);

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE"), (text.Status, text.ErrorCode));
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE"), (none.Status, none.ErrorCode));
    }
}
