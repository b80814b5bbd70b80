using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Transparency;
using OmniBridge.Tests.Api.Security;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Transparency;

namespace OmniBridge.Tests.Api;

/// <summary>A silo whose checkpoints follow the log quickly, so that tests see their records in one.</summary>
public sealed class QuickLogSilo : SiloApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["LOG_CHECKPOINT_MS"] = "50", ["LOG_INTEGRATE_MS"] = "50" };
}

/// <summary>The transparency endpoints as a client uses them (docs/transparency.md, "Endpoints"), and every refusal.</summary>
public sealed class TransparencyEndpointTests(QuickLogSilo service) : IClassFixture<QuickLogSilo>
{
    static string Ns() => "log.rest.t" + Guid.NewGuid().ToString("N")[..10];
    static string Log(string ns) => $"/api/v1/transparency/{ns}";

    async Task<List<JsonElement>> StampAllAsync(string ns, int count)
    {
        var records = new List<JsonElement>();
        for (var i = 0; i < count; i++) records.Add(await service.Http.StampAsync($"record {i} of {ns}", ns));
        return records;
    }

    async Task<SignedNote> CheckpointOfAtLeastAsync(string ns, long size)
    {
        SignedNote? note = null;
        await Eventually.TrueAsync(async () =>
        {
            note = SignedNote.Parse(await service.Http.GetStringAsync(Log(ns) + "/checkpoint"));
            return note.Size >= size;
        }, $"a checkpoint of {size} leaves in {ns}");
        return note!;
    }

    [Fact]
    public async Task Stamped_records_carry_their_sha256_and_get_a_log_index_that_an_inclusion_proof_verifies_offline()
    {
        var ns = Ns();
        var records = await StampAllAsync(ns, 7);
        var content = Encoding.UTF8.GetBytes($"record 3 of {ns}");
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), records[3].GetProperty("sha256").GetString());

        var note = await CheckpointOfAtLeastAsync(ns, 7);
        var key = (await service.Http.GetStringAsync(Log(ns) + "/key")).Trim();
        Assert.True(note.VerifiedBy(key), "the checkpoint verifies with the served key");
        Assert.EndsWith("/" + ns, note.Origin, StringComparison.Ordinal);

        var hash = records[3].GetProperty("file_hash").GetString();
        var lookup = await service.Http.GetReplyAsync($"{ApiCalls.Base}/stamp/{hash}?namespace={ns}");
        Assert.Equal(3, lookup.Data.GetProperty("log_index").GetInt64());
        Assert.Equal(records[3].GetProperty("sha256").GetString(), lookup.Data.GetProperty("sha256").GetString());

        var proof = await service.Http.GetReplyAsync($"{Log(ns)}/proof/inclusion?file_hash={hash}");
        Assert.Equal(HttpStatusCode.OK, proof.Status);
        var leaf = Convert.FromBase64String(proof.Data.GetProperty("leaf").GetString()!);
        var text = Encoding.UTF8.GetString(leaf);
        Assert.Contains($"\nblake3 {hash}\n", text, StringComparison.Ordinal);
        Assert.Contains($"\nsha256 {records[3].GetProperty("sha256").GetString()}\n", text, StringComparison.Ordinal);
        var proofNote = SignedNote.Parse(proof.Data.GetProperty("checkpoint").GetString()!);
        Assert.True(proofNote.VerifiedBy(key));
        var path = proof.Data.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();
        Assert.True(Rfc9162.VerifyInclusion(3, proof.Data.GetProperty("tree_size").GetInt64(), Rfc9162.LeafHash(leaf), path, proofNote.Root));
    }

    [Fact]
    public async Task Entries_rebuild_the_tree_of_the_checkpoint_and_consistency_proofs_link_two_sizes()
    {
        var ns = Ns();
        await StampAllAsync(ns, 5);
        var first = await CheckpointOfAtLeastAsync(ns, 5);
        await StampAllAsync(ns + ".other", 1);
        var more = new List<JsonElement>();
        for (var i = 0; i < 4; i++) more.Add(await service.Http.StampAsync($"later {i}", ns));
        var second = await CheckpointOfAtLeastAsync(ns, first.Size + 4);

        var entries = await service.Http.GetReplyAsync($"{Log(ns)}/entries?start=0&limit=1000");
        var leaves = entries.Data.GetProperty("entries").EnumerateArray().Select(e => Convert.FromBase64String(e.GetProperty("leaf").GetString()!)).ToList();
        Assert.Equal(second.Size, leaves.Count);
        Assert.Equal(second.Root, Rfc9162.Root(leaves));
        var page = await service.Http.GetReplyAsync($"{Log(ns)}/entries?start=2&limit=2");
        Assert.Equal([2L, 3L], page.Data.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("index").GetInt64()));
        var past = await service.Http.GetReplyAsync($"{Log(ns)}/entries?start={second.Size}");
        Assert.Equal(0, past.Data.GetProperty("entries").GetArrayLength());

        var consistency = await service.Http.GetReplyAsync($"{Log(ns)}/proof/consistency?from={first.Size}&to={second.Size}");
        Assert.Equal(HttpStatusCode.OK, consistency.Status);
        var hashes = consistency.Data.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();
        Assert.True(Rfc9162.VerifyConsistency(first.Size, second.Size, first.Root, second.Root, hashes));

        // An older tree size gives a proof against that tree.
        var old = await service.Http.GetReplyAsync($"{Log(ns)}/proof/inclusion?file_hash={more[0].GetProperty("file_hash").GetString()}&tree_size={second.Size}");
        Assert.Equal(second.Size, old.Data.GetProperty("tree_size").GetInt64());
    }

    [Fact]
    public async Task An_empty_log_has_a_signed_checkpoint_of_size_zero_with_the_empty_root()
    {
        var note = SignedNote.Parse(await service.Http.GetStringAsync(Log(Ns()) + "/checkpoint"));

        Assert.Equal(0, note.Size);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData([]), note.Root);
        var response = await service.Http.GetAsync(Log(Ns()) + "/checkpoint");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_their_codes()
    {
        var ns = Ns();
        var record = await service.Http.StampAsync("refusals", ns);
        var hash = record.GetProperty("file_hash").GetString();
        await CheckpointOfAtLeastAsync(ns, 1);

        (string Path, HttpStatusCode Status, string Code)[] cases =
        [
            ($"{Log(ns)}/proof/inclusion?file_hash={new string('a', 64)}", HttpStatusCode.NotFound, "STAMP_NOT_FOUND"),
            ($"{Log(ns)}/proof/inclusion?file_hash=XYZ", HttpStatusCode.BadRequest, "INVALID_HASH_FORMAT"),
            ($"{Log(ns)}/proof/inclusion", HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            ($"{Log(ns)}/proof/inclusion?file_hash={hash}&tree_size=999999", HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            ($"{Log(ns)}/proof/inclusion?file_hash={hash}&tree_size=0", HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            ($"{Log(ns)}/proof/inclusion?file_hash={hash}&tree_size=abc", HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            ($"{Log(ns)}/proof/consistency?from=0&to=1", HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            ($"{Log(ns)}/proof/consistency?from=2&to=1", HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            ($"{Log(ns)}/proof/consistency?from=1&to=999999", HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            ($"{Log(ns)}/proof/consistency?from=1", HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            ($"{Log(ns)}/entries?limit=0", HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            ($"{Log(ns)}/entries?limit=1001", HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            ($"{Log(ns)}/entries?start=-1", HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            ("/api/v1/transparency/Not..A.Namespace/checkpoint", HttpStatusCode.BadRequest, "INVALID_NAMESPACE"),
        ];
        foreach (var (path, status, code) in cases)
        {
            var reply = await service.Http.GetReplyAsync(path);
            Assert.True(reply.Status == status && reply.ErrorCode == code, $"{path}: {reply}");
        }
    }

    [Fact]
    public async Task A_checkpoint_kept_from_a_moment_ago_never_turns_a_proof_into_a_refusal()
    {
        var ns = Ns();
        var first = await service.Http.StampAsync("first", ns);
        await CheckpointOfAtLeastAsync(ns, 1);
        var old = await service.Http.GetStringAsync(Log(ns) + "/checkpoint");
        Assert.Equal(1, SignedNote.Parse(old).Size);
        var second = await service.Http.StampAsync("second", ns);
        Assert.Equal(2, await service.Grains.GetGrain<ITransparencyLogGrain>(ns).IntegrateNowAsync());
        // The silo still holds the one-leaf note, as it would for a moment after a proof had read it.
        var recent = service.Services.GetRequiredService<RecentCheckpoints>();
        recent.Keep(ns, old);

        // The new record lies past the kept note, and so does the size asked for: both read the latest instead.
        var proof = await service.Http.GetReplyAsync($"{Log(ns)}/proof/inclusion?file_hash={second.GetProperty("file_hash").GetString()}");
        Assert.Equal(HttpStatusCode.OK, proof.Status);
        Assert.Equal(2, proof.Data.GetProperty("tree_size").GetInt64());
        Assert.Equal(2, SignedNote.Parse(proof.Data.GetProperty("checkpoint").GetString()!).Size);
        recent.Keep(ns, old);
        var sized = await service.Http.GetReplyAsync($"{Log(ns)}/proof/inclusion?file_hash={first.GetProperty("file_hash").GetString()}&tree_size=2");
        Assert.Equal(HttpStatusCode.OK, sized.Status);
        Assert.Equal(2, sized.Data.GetProperty("tree_size").GetInt64());
    }

    [Fact]
    public async Task A_record_outside_the_asked_tree_is_409_not_yet_integrated()
    {
        var ns = Ns();
        await service.Http.StampAsync("first", ns);
        await CheckpointOfAtLeastAsync(ns, 1);
        var second = await service.Http.StampAsync("second", ns);
        await CheckpointOfAtLeastAsync(ns, 2);

        var reply = await service.Http.GetReplyAsync($"{Log(ns)}/proof/inclusion?file_hash={second.GetProperty("file_hash").GetString()}&tree_size=1");

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
        Assert.Equal("NOT_YET_INTEGRATED", reply.ErrorCode);
        // A size was asked for: asking again will not help, so no Retry-After.
        Assert.Null(reply.Response.Headers.RetryAfter);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_transparency_endpoint()
    {
        using var document = JsonDocument.Parse(await service.Http.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var endpoint in new[] { "checkpoint", "key", "proof/inclusion", "proof/consistency", "entries" })
            Assert.True(paths.TryGetProperty("/api/v1/transparency/{namespace}/" + endpoint, out var path) && path.TryGetProperty("get", out _), endpoint);
    }
}

/// <summary>A silo that never signs a second checkpoint within a test: new records stay outside the latest one.</summary>
public sealed class SlowCheckpointSilo : SiloApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["LOG_CHECKPOINT_MS"] = "3600000", ["LOG_INTEGRATE_MS"] = "50" };
}

public sealed class NotYetIntegratedTests(SlowCheckpointSilo service) : IClassFixture<SlowCheckpointSilo>
{
    [Fact]
    public async Task A_record_after_the_latest_checkpoint_is_409_with_retry_after_and_gets_its_index_meanwhile()
    {
        var ns = "log.pending.t" + Guid.NewGuid().ToString("N")[..10];
        await service.Http.StampAsync("in the first checkpoint", ns);
        await Eventually.TrueAsync(async () => SignedNote.Parse(await service.Http.GetStringAsync($"/api/v1/transparency/{ns}/checkpoint")).Size == 1, "the first checkpoint");
        var later = await service.Http.StampAsync("after it", ns);
        var hash = later.GetProperty("file_hash").GetString();

        var reply = await service.Http.GetReplyAsync($"/api/v1/transparency/{ns}/proof/inclusion?file_hash={hash}");

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
        Assert.Equal("NOT_YET_INTEGRATED", reply.ErrorCode);
        Assert.NotNull(reply.Response.Headers.RetryAfter);
        await Eventually.TrueAsync(async () =>
            (await service.Http.GetReplyAsync($"{ApiCalls.Base}/stamp/{hash}?namespace={ns}")).Data.GetProperty("log_index").ValueKind == JsonValueKind.Number,
            "the record's log index");
    }
}

/// <summary>A silo with the log turned off.</summary>
public sealed class LogDisabledSilo : SiloApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["LOG_ENABLED"] = "false" };
}

public sealed class LogDisabledTests(LogDisabledSilo service) : IClassFixture<LogDisabledSilo>
{
    [Fact]
    public async Task With_the_log_off_records_keep_a_null_log_index_and_every_endpoint_is_404_log_disabled()
    {
        var ns = "log.off.t" + Guid.NewGuid().ToString("N")[..10];
        var record = await service.Http.StampAsync("no log", ns);

        Assert.Equal(JsonValueKind.Null, record.GetProperty("log_index").ValueKind);
        Assert.Equal(64, record.GetProperty("sha256").GetString()!.Length);
        foreach (var path in new[] { "checkpoint", "key", $"proof/inclusion?file_hash={record.GetProperty("file_hash").GetString()}", "proof/consistency?from=1&to=1", "entries" })
        {
            var reply = await service.Http.GetReplyAsync($"/api/v1/transparency/{ns}/{path}");
            Assert.True(reply.Status == HttpStatusCode.NotFound && reply.ErrorCode == "LOG_DISABLED", $"{path}: {reply}");
        }
    }
}

/// <summary>A namespace's log is visible only to keys of that namespace (docs/protocol.md, "Security").</summary>
public sealed class TransparencyIsolationTests(SecuredService service) : IClassFixture<SecuredService>
{
    [Fact]
    public async Task A_key_without_the_namespace_cannot_see_its_log()
    {
        using var tenantA = service.As(SecuredService.TenantA);
        using var tenantB = service.As(SecuredService.TenantB);
        var record = await tenantA.StampAsync("tenant a's secret record", "tenant.a.log");
        var hash = record.GetProperty("file_hash").GetString();

        foreach (var path in new[] { "checkpoint", "key", $"proof/inclusion?file_hash={hash}", "proof/consistency?from=1&to=1", "entries" })
        {
            var denied = await tenantB.GetReplyAsync($"/api/v1/transparency/tenant.a.log/{path}");
            Assert.True(denied.Status == HttpStatusCode.Forbidden, $"{path}: {denied}");
            Assert.DoesNotContain(hash!, denied.Text, StringComparison.Ordinal);
            using var nobody = service.As(null);
            Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync($"/api/v1/transparency/tenant.a.log/{path}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await tenantA.GetAsync("/api/v1/transparency/tenant.a.log/checkpoint")).StatusCode);
    }
}
