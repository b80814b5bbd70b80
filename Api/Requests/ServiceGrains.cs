using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Events;

namespace OmniBridge.Api.Requests;

/// <summary>
/// References to the service's grains the API calls under key 0, each made once per host and kept (grains
/// keyed by a session, a run or a namespace are still asked for per call). Orleans'
/// <c>GetGrain</c> works the grain type out of the interface again on every call (its attributes read,
/// its name formatted): about 5% of an embedded silo's CPU under /stamp, and more of a call that
/// does little else (bench/README.md, "Where an embedded /stamp's time goes"). A reference is immutable and
/// safe to share between requests; it is bound to its host's runtime, so it is kept per host, not
/// in a static.
/// </summary>
public sealed class ServiceGrains(IGrainFactory grains)
{
    IStampWorkerGrain? stampWorker;
    IStampQueryGrain? stampQuery;
    ITransparencyQueryGrain? transparencyQuery;
    IPatternCatalogueGrain? patternCatalogue;
    ICodegenTraceGrain? codegenTrace;

    /// <summary>The stamp worker (a stateless worker: any silo runs it where it is called).</summary>
    public IStampWorkerGrain StampWorker => stampWorker ??= grains.GetGrain<IStampWorkerGrain>(0);

    /// <summary>The reads of stamp records.</summary>
    public IStampQueryGrain StampQuery => stampQuery ??= grains.GetGrain<IStampQueryGrain>(0);

    /// <summary>The reads of the transparency logs.</summary>
    public ITransparencyQueryGrain TransparencyQuery => transparencyQuery ??= grains.GetGrain<ITransparencyQueryGrain>(0);

    /// <summary>The catalogue of code patterns.</summary>
    public IPatternCatalogueGrain PatternCatalogue => patternCatalogue ??= grains.GetGrain<IPatternCatalogueGrain>(0);

    /// <summary>The reads of codegen sessions' event traces.</summary>
    public ICodegenTraceGrain CodegenTrace => codegenTrace ??= grains.GetGrain<ICodegenTraceGrain>(0);
}
