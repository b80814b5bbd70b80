using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// The embedded default's grain state: a copy of each grain's state in the silo's own memory, with ETags checked on
/// every write as a database would. Orleans' memory storage keeps state in storage grains instead, so that the silos of
/// a test cluster share it; the embedded default is one silo, and that grain call (a turn of its own on a busy silo)
/// was most of the time a run coordinator took to save its state before publishing its signals (bench/README.md,
/// "Coordinated runs").
/// </summary>
public sealed class InMemoryGrainStorage(DeepCopier copier) : IGrainStorage
{
    sealed record Stored(object State, long Version);

    readonly Dictionary<(string StateName, GrainId Grain), Stored> states = [];
    readonly Lock gate = new();
    long versions;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Stored? stored;
        lock (gate) states.TryGetValue((stateName, grainId), out stored);
        if (stored is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        else
        {
            grainState.State = copier.Copy((T)stored.State);
            grainState.ETag = ETag(stored.Version);
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Copied before the check: what is stored never changes with the grain's own object, and the lock stays short.
        var copy = copier.Copy(grainState.State)!;
        lock (gate)
        {
            Expect(stateName, grainId, grainState.ETag);
            var version = ++versions;
            states[(stateName, grainId)] = new Stored(copy, version);
            grainState.ETag = ETag(version);
        }
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (gate)
        {
            Expect(stateName, grainId, grainState.ETag);
            states.Remove((stateName, grainId));
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <summary>A write or clear goes through only from the version it was read at (none for a grain never stored).</summary>
    void Expect(string stateName, GrainId grainId, string? etag)
    {
        var current = states.TryGetValue((stateName, grainId), out var stored) ? ETag(stored.Version) : null;
        if (current != etag)
            throw new InconsistentStateException($"the state {stateName} of {grainId} was written since it was read", current ?? "none", etag ?? "none");
    }

    static string ETag(long version) => version.ToString(CultureInfo.InvariantCulture);
}
