using Microsoft.Extensions.DependencyInjection.Extensions;
using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Codegen.Quorum;
using OmniBridge.Grains.Codegen.Events;
using OmniBridge.Grains.Codegen.Runs;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Configuration;
using OmniBridge.Silo.Memory;
using Orleans.Serialization;
using Orleans.Streams;

namespace OmniBridge.Silo.Codegen;

/// <summary>Code generation on the silo: templates and their cache, the validation pipeline, and the language model when one is configured.</summary>
public static class CodegenComposition
{
    public static ISiloBuilder AddOmniBridgeCodegen(this ISiloBuilder silo, CodegenSettings settings)
    {
        silo.Services.Configure<CodegenOptions>(o =>
        {
            o.TemplateCacheSize = settings.TemplateCacheSize;
            o.Python = settings.Python;
            o.LlmPromptTokens = settings.ContextTokens;
        });
        silo.Services.AddSingleton<NodeTemplates>();
        silo.Services.AddSingleton<PackageRenderer>();
        silo.Services.AddSingleton<PythonSyntax>();
        silo.Services.AddSingleton<PackageValidation>();
        silo.Services.AddSingleton<LlmGeneration>();
        silo.Services.AddSingleton<PackageGeneration>();
        silo.Services.AddHttpClient(ChatEndpoint.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        silo.Services.AddSingleton(services => Panel(services, settings.Quorum));
        silo.Services.AddSingleton<QuorumMetrics>();
        silo.Services.AddSingleton<AiQuorum>();
        silo.Services.AddSingleton<QuorumReview>();
        silo.Services.AddSingleton<CodeReview>();
        silo.Services.AddSingleton<CodegenAnswers>();
        silo.Services.Configure<RunOptions>(o =>
        {
            o.MaxParallel = settings.MaxParallel;
            o.ContextTokens = settings.ContextTokens;
            o.ResumeEvery = settings.RunResumeEvery;
        });
        if (settings.LlmEndpoint is { } endpoint)
        {
            var chat = new ChatEndpoint(endpoint, settings.LlmModel, settings.LlmApiKey, settings.LlmTimeout);
            silo.Services.AddSingleton<ILanguageModel>(services => new OpenAiChatModel(services.GetRequiredService<IHttpClientFactory>(), chat));
        }
        else silo.Services.TryAddSingleton<ILanguageModel, NoLanguageModel>();
        return silo;
    }

    /// <summary>
    /// Run signals on their own stream provider: explicit subscriptions, from any silo or client (docs/runs.md, "Signals").
    /// Live delivery only; the log in storage is what makes them replayable. Subscriptions are kept in the storage's
    /// pub-sub store (memory in the embedded default, PostgreSQL otherwise: they outlive the silo they were made on).
    /// One queue, whose reader waits for a publication: in the silo's own memory in the embedded default (one silo,
    /// <see cref="InMemorySignalAdapter"/>), in a grain that every silo of a cluster publishes into
    /// (<see cref="SignalQueueAdapter"/>).
    /// </summary>
    public static ISiloBuilder AddOmniBridgeRunSignals(this ISiloBuilder silo, SiloSettings settings) =>
        settings.Postgres is null
            ? silo.AddPersistentStreams(RunSignals.Provider,
                (services, name) => new InMemorySignalAdapter(name, services.GetRequiredService<DeepCopier>(), services.GetRequiredService<ILoggerFactory>()),
                Delivery)
            : silo.AddPersistentStreams(RunSignals.Provider,
                (services, name) => new SignalQueueAdapter(name, services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<ILoggerFactory>()),
                Delivery);

    /// <summary>
    /// How either queue's pulling agent delivers. It reads on a timer, every 100 ms by default, which alone made a
    /// signal's propagation 50 ms at the median (bench runs); both queues' reads wait for a signal (half a second at
    /// most), so a 2 ms timer costs an idle silo two reads a second and a signal no wait for the next tick. It
    /// hands a subscriber one message per call by default, so the last of a burst of 13 signals (a stage's end and the
    /// next stage's start, made in one turn) waited for 12 round trips; it now takes up to 64 in one call.
    /// </summary>
    static void Delivery(ISiloPersistentStreamConfigurator streams)
    {
        streams.ConfigureStreamPubSub(StreamPubSubType.ExplicitGrainBasedOnly);
        streams.ConfigurePullingAgent(agent => agent.Configure(o =>
        {
            o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(2);
            o.BatchContainerBatchSize = 64;
        }));
    }

    /// <summary>The quorum's models, each with a chat client of its own on the shared connection pool.</summary>
    static QuorumPanel Panel(IServiceProvider services, QuorumSettings quorum)
    {
        var clients = services.GetRequiredService<IHttpClientFactory>();
        return new QuorumPanel
        {
            Seats = [.. quorum.Models.Select(m => new QuorumSeat(m.Id, m.Weight, new OpenAiChatModel(clients, new ChatEndpoint(m.Endpoint, m.Model, m.ApiKey, m.Timeout)), m.Timeout))],
            Threshold = quorum.Threshold,
            MinParticipatingWeight = quorum.MinParticipatingWeight,
            Deadline = quorum.Deadline,
        };
    }
}
