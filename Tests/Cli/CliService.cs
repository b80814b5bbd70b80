using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Transparency;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// The embedded default service the command-line tests talk to, with a log key the tests know
/// (so they can forge what a rogue service would sign) and a log that integrates quickly. It
/// counts what it is sent, to show that a run with nothing to do sends nothing.
/// </summary>
public sealed class CliService : SiloApp
{
    public NoteKey LogKey { get; } = NoteKey.Generate("cli.tests");

    /// <summary>Requests received, and bytes of request bodies, since the start.</summary>
    public RequestTally Tally { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LOG_SIGNING_KEY"] = LogKey.SignerKey,
        ["LOG_INTEGRATE_MS"] = "100",
        ["LOG_CHECKPOINT_MS"] = "100",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IStartupFilter>(Tally);

    public string Url => Address.ToString().TrimEnd('/');

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        LogKey.Dispose();
    }
}

/// <summary>Counts every request a service receives and the bytes of its body, per path.</summary>
public sealed class RequestTally : IStartupFilter
{
    readonly ConcurrentQueue<(string Path, long Bytes)> requests = new();

    public int Requests => requests.Count;
    public long BodyBytes => requests.Sum(r => r.Bytes);
    public IReadOnlyList<(string Path, long Bytes)> Received => [.. requests];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, following) =>
        {
            requests.Enqueue((http.Request.Path, http.Request.ContentLength ?? 0));
            await following(http);
        });
        next(app);
    };
}
