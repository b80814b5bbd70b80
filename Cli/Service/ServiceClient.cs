using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OmniBridge.Cli.Service;

/// <summary>
/// The REST API as the client uses it (docs/protocol.md): each call sent again after a 503 or a
/// 429, waiting what Retry-After says (or backing off, doubling, when it says nothing), and after
/// a dropped connection; anything else the service refuses becomes a <see cref="ServiceException"/>.
/// </summary>
public sealed class ServiceClient : IDisposable
{
    const string Stamping = "api/v1/metadata-stamping/";
    const int Attempts = 8;
    static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    readonly HttpClient http;

    public ServiceClient(Uri server, string? apiKey, int connections)
    {
        Server = server;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(1, connections), AutomaticDecompression = DecompressionMethods.None };
        http = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(30) };
        if (!string.IsNullOrEmpty(apiKey)) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("omnibridge-cli", typeof(ServiceClient).Assembly.GetName().Version?.ToString(3)));
    }

    public Uri Server { get; }

    /// <summary>Requests sent, retries included.</summary>
    public int Requests => requests;

    int requests;

    /// <summary>Registers files as bytes (detached records), one result per item in order.</summary>
    public async Task<IReadOnlyList<BatchResultView>> BatchAsync(string namespaceName, IReadOnlyList<BatchUpload> items, CancellationToken cancellationToken)
    {
        var body = BatchBody(namespaceName, items);
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Stamping + "batch") { Content = JsonContent(body) }, cancellationToken);
        var results = Data(answer).GetProperty("results").Deserialize(ServiceJson.Default.ListBatchResultView)!;
        if (results.Count != items.Count) throw new ServiceException($"the batch answered {results.Count} results for {items.Count} items");
        return results;
    }

    /// <summary>Registers a file as bytes through the streaming door of POST /stamp; the file is read as it is sent.</summary>
    public async Task<RecordView> StampStreamAsync(string namespaceName, string fullPath, string? filePath, CancellationToken cancellationToken)
    {
        var query = $"namespace={Uri.EscapeDataString(namespaceName)}" + (filePath is null ? "" : $"&file_path={Uri.EscapeDataString(filePath)}");
        using var answer = await SendAsync(() =>
        {
            var content = new StreamContent(new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan), 1 << 20);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return new HttpRequestMessage(HttpMethod.Post, Stamping + "stamp?" + query) { Content = content };
        }, cancellationToken);
        return Data(answer).Deserialize(ServiceJson.Default.RecordView)!;
    }

    /// <summary>Stamps text through POST /stamp (JSON): the record and the text carrying its stamp.</summary>
    public async Task<RecordView> StampTextAsync(string namespaceName, string text, string? filePath, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new StampTextRequest(text, namespaceName, filePath), ServiceJson.Default.StampTextRequest);
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Stamping + "stamp") { Content = JsonContent(body) }, cancellationToken);
        return Data(answer).Deserialize(ServiceJson.Default.RecordView)!;
    }

    /// <summary>The namespace's record for a hash, or null when it has none.</summary>
    public async Task<RecordView?> FindAsync(string namespaceName, string fileHash, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{Stamping}stamp/{fileHash}?namespace={Uri.EscapeDataString(namespaceName)}"),
            cancellationToken, HttpStatusCode.NotFound);
        return answer.Status == HttpStatusCode.NotFound ? null : Data(answer).Deserialize(ServiceJson.Default.RecordView);
    }

    /// <summary>The namespace log's latest checkpoint, or null when the service's log is turned off.</summary>
    public async Task<string?> CheckpointAsync(string namespaceName, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Log(namespaceName, "checkpoint")), cancellationToken, HttpStatusCode.NotFound);
        if (answer.Status == HttpStatusCode.NotFound) return LogDisabled(answer);
        return Encoding.UTF8.GetString(answer.Body);
    }

    /// <summary>The log's verifier key, or null when the service's log is turned off.</summary>
    public async Task<string?> KeyAsync(string namespaceName, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Log(namespaceName, "key")), cancellationToken, HttpStatusCode.NotFound);
        if (answer.Status == HttpStatusCode.NotFound) return LogDisabled(answer);
        return Encoding.UTF8.GetString(answer.Body).Trim();
    }

    /// <summary>
    /// A record's inclusion proof for the tree of <paramref name="treeSize"/> leaves (the latest when
    /// null); null when the record is not in that tree yet (409), or has no record at all (404).
    /// </summary>
    public async Task<InclusionView?> InclusionAsync(string namespaceName, string fileHash, long? treeSize, CancellationToken cancellationToken)
    {
        var query = $"file_hash={fileHash}" + (treeSize is { } size ? $"&tree_size={size.ToString(CultureInfo.InvariantCulture)}" : "");
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Log(namespaceName, "proof/inclusion?" + query)),
            cancellationToken, HttpStatusCode.Conflict, HttpStatusCode.NotFound);
        if (answer.Status == HttpStatusCode.NotFound) LogDisabled(answer);
        return answer.Status == HttpStatusCode.OK ? Data(answer).Deserialize(ServiceJson.Default.InclusionView) : null;
    }

    /// <summary>The proof that the tree of <paramref name="to"/> leaves extends the one of <paramref name="from"/>.</summary>
    public async Task<ConsistencyView> ConsistencyAsync(string namespaceName, long from, long to, CancellationToken cancellationToken)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"proof/consistency?from={from}&to={to}");
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Log(namespaceName, query)), cancellationToken);
        return Data(answer).Deserialize(ServiceJson.Default.ConsistencyView)!;
    }

    static string Log(string namespaceName, string rest) => $"api/v1/transparency/{Uri.EscapeDataString(namespaceName)}/{rest}";

    /// <summary>Null for LOG_DISABLED; any other 404 is an error.</summary>
    static string? LogDisabled(Answer answer) =>
        answer.Code == "LOG_DISABLED" ? null : throw new ServiceException($"{answer.Code ?? "404"}: {answer.Message}", 404, answer.Code);

    static byte[] BatchBody(string namespaceName, IReadOnlyList<BatchUpload> items)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(items.Sum(i => i.Bytes.Length * 4 / 3 + 256) + 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("namespace", namespaceName);
            json.WriteStartArray("items");
            foreach (var item in items)
            {
                json.WriteStartObject();
                json.WriteString("id", item.Id);
                json.WriteBase64String("content_base64", item.Bytes.Span);
                if (item.FilePath is not null) json.WriteString("file_path", item.FilePath);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    static JsonElement Data(Answer answer) =>
        answer.Document?.RootElement.TryGetProperty("data", out var data) == true && data.ValueKind != JsonValueKind.Null
            ? data
            : throw new ServiceException($"the service answered {(int)answer.Status} without data");

    /// <summary>Sends the request made by <paramref name="make"/> (again for each attempt) until it is answered for good.</summary>
    /// <param name="expected">Statuses besides success that the caller handles itself.</param>
    async Task<Answer> SendAsync(Func<HttpRequestMessage> make, CancellationToken cancellationToken, params HttpStatusCode[] expected)
    {
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan wait;
            try
            {
                using var request = make();
                Interlocked.Increment(ref requests);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                var answer = await Answer.ReadAsync(response, cancellationToken);
                var retriable = response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests;
                if (!retriable || attempt == Attempts)
                {
                    if (response.IsSuccessStatusCode || expected.Contains(response.StatusCode)) return answer;
                    answer.Dispose();
                    throw new ServiceException($"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {answer.Code}: {answer.Message}",
                        (int)response.StatusCode, answer.Code);
                }
                answer.Dispose();
                wait = RetryAfter(response) ?? Backoff(attempt);
            }
            catch (HttpRequestException) when (attempt < 3)
            {
                wait = Backoff(attempt);
            }
            catch (HttpRequestException e)
            {
                throw new ServiceException($"cannot reach the service at {Server}: {e.Message}", inner: e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ServiceException($"the service at {Server} did not answer in time", inner: e);
            }
            await Task.Delay(wait, cancellationToken);
        }
    }

    static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, attempt - 1), 8000));

    static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is null) return null;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait;
    }

    public void Dispose() => http.Dispose();

    /// <summary>An answer read whole: its status, its bytes, and the envelope's error when it is one.</summary>
    sealed class Answer : IDisposable
    {
        public required HttpStatusCode Status { get; init; }
        public required byte[] Body { get; init; }
        public JsonDocument? Document { get; init; }
        public string? Code { get; init; }
        public string? Message { get; init; }

        public static async Task<Answer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            JsonDocument? document = null;
            string? code = null, message = null;
            if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            {
                try
                {
                    document = JsonDocument.Parse(body);
                    var root = document.RootElement;
                    if (root.TryGetProperty("error", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
                    {
                        code = errors[0].TryGetProperty("code", out var c) ? c.GetString() : null;
                        message = errors[0].TryGetProperty("message", out var m) ? m.GetString() : null;
                    }
                    message ??= root.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
                }
                catch (JsonException)
                {
                    // not the envelope: the status says enough
                }
            }
            return new Answer { Status = response.StatusCode, Body = body, Document = document, Code = code, Message = message ?? response.ReasonPhrase };
        }

        public void Dispose() => Document?.Dispose();
    }
}
