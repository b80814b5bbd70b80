using System.Net;
using OmniBridge.Tests.Api.Codegen;
using OmniBridge.Tests.Fixtures;
using static OmniBridge.Tests.Api.Codegen.CodegenRequestBodies;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>
/// docs/protocol.md, "Code generation" sessions on PostgreSQL grain storage, with real silo processes: a finished session is
/// read back with its package after the silo restarts, and one cut off mid-generation by a killed
/// silo is finished by the next.
/// </summary>
public sealed class CodegenSessionDurabilityTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    /// <summary>One cluster per test: a silo the other test killed stays in its membership until declared dead.</summary>
    readonly string clusterId = "codegen-" + Guid.NewGuid().ToString("N")[..8];

    Dictionary<string, string> Settings(string? llm = null)
    {
        var settings = new Dictionary<string, string>(database.Settings) { ["CLUSTER_ID"] = clusterId };
        if (llm is not null) settings["CODEGEN_LLM_ENDPOINT"] = llm;
        return settings;
    }

    [Fact]
    public async Task A_finished_session_and_its_package_survive_a_silo_restart()
    {
        string sessionId, files;
        await using (var first = await ServiceProcess.StartReadyAsync(Settings()))
        {
            var generated = await first.Http.PostJsonAsync(Generate, new { requirements = Requirements("durable_node"), strategy = "template" });
            Assert.True(generated.Status == HttpStatusCode.OK, generated.ToString());
            sessionId = generated.Data.GetProperty("session_id").GetString()!;
            files = generated.Data.GetProperty("files").ToString();
            first.Terminate();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        await using var second = await ServiceProcess.StartReadyAsync(Settings());
        var session = await second.Http.GetReplyAsync($"{Sessions}/{sessionId}");
        Assert.True(session.Status == HttpStatusCode.OK, session.ToString());
        Assert.Equal("completed", session.Data.GetProperty("status").GetString());
        Assert.Equal(files, session.Data.GetProperty("result").GetProperty("files").ToString());
        var zip = await second.Http.GetAsync($"{Sessions}/{sessionId}/package.zip");
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
    }

    [Fact]
    public async Task A_session_cut_off_by_a_killed_silo_is_finished_by_the_next_one()
    {
        await using var model = await FakeChatEndpoint.StartAsync();
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = new TaskCompletionSource();
        // The first silo's request hangs until that silo is dead; the next silo's is answered.
        model.Answer = (_, _) =>
        {
            if (asked.TrySetResult()) hold.Task.Wait(TimeSpan.FromSeconds(60));
            return FakeChatEndpoint.Files(("node.py", "# the resumed session's node\nclass NodeResumedNodeEffect:\n    pass\n"));
        };
        var sessionId = Guid.NewGuid().ToString();
        await using (var first = await ServiceProcess.StartReadyAsync(Settings(model.BaseAddress)))
        {
            var cutOff = first.Http.PostJsonAsync(Generate, new { requirements = Requirements("resumed_node"), strategy = "llm", validation_level = "none", session_id = sessionId });
            await asked.Task.WaitAsync(TimeSpan.FromSeconds(60));
            first.KillHard();
            await Assert.ThrowsAnyAsync<Exception>(() => cutOff);
        }
        hold.SetResult();

        await using var second = await ServiceProcess.StartReadyAsync(Settings(model.BaseAddress));
        Reply session = null!;
        // Reading the session activates it on the live silo, which carries on from its saved state
        // (once the dead silo is declared dead; the reminder would do the same a little later).
        await Eventually.TrueAsync(async () =>
        {
            session = await second.Http.GetReplyAsync($"{Sessions}/{sessionId}");
            return session.Status == HttpStatusCode.OK && session.Data.GetProperty("status").GetString() == "completed";
        }, "the cut-off session completes on the second silo", TimeSpan.FromSeconds(90));
        var node = session.Data.GetProperty("result").GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "node.py");
        Assert.StartsWith("# the resumed session's node", node.GetProperty("content").GetString(), StringComparison.Ordinal);
    }
}
