using Microsoft.Extensions.DependencyInjection.Extensions;
using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Configuration;

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
        });
        silo.Services.AddSingleton<NodeTemplates>();
        silo.Services.AddSingleton<PackageRenderer>();
        silo.Services.AddSingleton<PythonSyntax>();
        silo.Services.AddSingleton<PackageValidation>();
        silo.Services.AddSingleton<LlmGeneration>();
        silo.Services.AddSingleton<PackageGeneration>();
        if (settings.LlmEndpoint is not null)
        {
            silo.Services.AddSingleton(settings);
            silo.Services.AddHttpClient<ILanguageModel, OpenAiChatModel>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        }
        else silo.Services.TryAddSingleton<ILanguageModel, NoLanguageModel>();
        return silo;
    }
}
