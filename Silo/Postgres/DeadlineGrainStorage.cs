using Orleans.Storage;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Orleans' ADO.NET grain storage under the store's deadline (<see cref="PostgresFailure.Deadline"/>): a grain whose
/// state cannot be read or written in time fails with a 503 for its caller, like every other statement of the silo.
/// The provider itself waits for Npgsql's command timeout (30 s) and takes no cancellation token, so on a database that
/// hangs a workflow or a codegen session answered after half a minute (docs/architecture.md, "Persistence").
/// </summary>
/// <remarks>
/// The operation left behind goes on until its own timeout. A write that commits after its caller was told to retry
/// leaves the grain's ETag behind the stored one; the next write then fails with Orleans' InconsistentStateException,
/// which deactivates the grain, and its next activation reads what is stored: the same path as any write whose outcome
/// is unknown.
/// </remarks>
public sealed class DeadlineGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    int participating;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        PostgresFailure.AwaitAsync(inner.ReadStateAsync(stateName, grainId, grainState), CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        PostgresFailure.AwaitAsync(inner.WriteStateAsync(stateName, grainId, grainState), CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        PostgresFailure.AwaitAsync(inner.ClearStateAsync(stateName, grainId, grainState), CancellationToken.None);

    /// <summary>The provider's own start-up, once however many registrations resolve this decorator.</summary>
    public void Participate(ISiloLifecycle observer)
    {
        if (inner is ILifecycleParticipant<ISiloLifecycle> provider && Interlocked.Exchange(ref participating, 1) == 0) provider.Participate(observer);
    }
}
