using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

[Collection(SharedService.Name)]
public sealed class HashEndpointTests(SiloApp service)
{
    readonly HttpClient http = service.Http;
    const string Path = ApiCalls.Base + "/hash";

    public static IEnumerable<object[]> Sizes() => [[0], [1], [1023], [1024], [1_048_575], [1_048_576], [3_000_001]];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task An_octet_stream_hashes_to_what_b3sum_says(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);

        var reply = await http.PostBytesAsync(Path, bytes, "application/octet-stream");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(await B3sum.OfAsync(bytes), reply.Data.GetProperty("file_hash").GetString());
        Assert.Equal(size, reply.Data.GetProperty("file_size_bytes").GetInt64());
        Assert.Matches("^[ABC]$", reply.Data.GetProperty("performance_grade").GetString());
        Assert.True(reply.Data.GetProperty("execution_time_ms").GetDouble() >= 0);
    }

    [Fact]
    public async Task A_body_without_content_type_is_an_octet_stream()
    {
        var reply = await http.PostBytesAsync(Path, "Hello World"u8.ToArray(), contentType: null);
        Assert.Equal("41f8394111eb713a22165c46c90ab8f0fd9399c92028fd6d288944b23ff5bf76", reply.Data.GetProperty("file_hash").GetString());
    }

    [Fact]
    public async Task A_chunked_body_of_unknown_length_streams()
    {
        var bytes = Enumerable.Range(0, 5_000_000).Select(i => (byte)(i * 7)).ToArray();
        using var content = new StreamContent(new MemoryStream(bytes));   // no Content-Length: sent chunked
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var reply = await Reply.ReadAsync(await http.PostAsync(Path, content));
        Assert.Equal(ContentHash.Of(bytes), reply.Data.GetProperty("file_hash").GetString());
    }

    [Fact]
    public async Task The_multipart_part_named_file_is_hashed_and_other_parts_ignored()
    {
        var file = Encoding.UTF8.GetBytes("file body\r\n--not-a-boundary\r\n");
        using var form = new MultipartFormDataContent("xyzzy");
        form.Add(new StringContent("ignored"), "note");
        form.Add(new ByteArrayContent(file), "file", "upload.bin");
        var reply = await Reply.ReadAsync(await http.PostAsync(Path, form));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(await B3sum.OfAsync(file), reply.Data.GetProperty("file_hash").GetString());
        Assert.Equal(file.Length, reply.Data.GetProperty("file_size_bytes").GetInt64());
    }

    [Fact]
    public async Task A_multipart_body_without_a_file_part_is_a_validation_error()
    {
        using var form = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        var reply = await Reply.ReadAsync(await http.PostAsync(Path, form));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("VALIDATION_ERROR", reply.ErrorCode);
        Assert.Equal("file", reply.ErrorField);
    }

    [Fact]
    public async Task Json_content_is_hashed_as_its_exact_utf8_bytes_without_canonicalising()
    {
        const string content = "  stamped? no: # ONEX:uid=a,hash=b,ts=1Z\n\n\n\n€  ";
        var reply = await http.PostJsonAsync(Path, new { content });
        Assert.Equal(await B3sum.OfAsync(Encoding.UTF8.GetBytes(content)), reply.Data.GetProperty("file_hash").GetString());
    }

    [Fact]
    public async Task Another_media_type_is_415()
    {
        var reply = await http.PostRawAsync(Path, "abc", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", reply.ErrorCode);
    }
}
