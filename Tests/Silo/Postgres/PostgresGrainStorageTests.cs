using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains;
using OmniBridge.Tests.Contract;
using OmniBridge.Tests.Fixtures;
using Orleans.Storage;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>Grain state on PostgreSQL as the silo registers it: Orleans' ADO.NET storage under the store's deadline.</summary>
public sealed class PostgresGrainStorageTests(PostgresService service) : GrainStorageContract, IClassFixture<PostgresService>
{
    protected override IGrainStorage Storage { get; } = service.Silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
}
