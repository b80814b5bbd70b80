using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Workflows;
using OmniBridge.Silo.Codegen;
using OmniBridge.Silo.Configuration;

namespace OmniBridge.Silo.Workflows;

/// <summary>Workflows' intelligence step: a chat model when WORKFLOW_INTELLIGENCE_ENDPOINT is set, with its deadline; otherwise the step is skipped.</summary>
public static class WorkflowIntelligenceComposition
{
    public static ISiloBuilder AddOmniBridgeWorkflowIntelligence(this ISiloBuilder silo, WorkflowIntelligenceSettings settings)
    {
        if (settings.Endpoint is not { } endpoint) return silo;
        // One call per item, each bounded by the step's deadline, which the step itself enforces.
        var chat = new ChatEndpoint(endpoint, settings.Model, settings.ApiKey, settings.Deadline);
        silo.Services.AddHttpClient(ChatEndpoint.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        silo.Services.AddSingleton<IIntelligenceAnalyzer>(services => new LanguageModelAnalyzer(new OpenAiChatModel(services.GetRequiredService<IHttpClientFactory>(), chat)));
        silo.Services.Configure<WorkflowOptions>(o => o.IntelligenceTimeout = settings.Deadline);
        return silo;
    }
}
