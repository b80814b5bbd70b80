using System.Text;
using Blake3;
using Orleans.Concurrency;

namespace OmniBridge.Bench.BareApp;

/// <summary>The bare app's grain (its `grain` mode): hashes JSON content as the bare app does in its endpoint.</summary>
public interface IHashWorkerGrain : IGrainWithIntegerKey
{
    Task<(string Hash, int Length)> HashAsync(string content);
}

/// <summary>
/// A stateless worker interleaving its calls, as the service's stamp worker is, doing nothing but
/// the bare app's hash: what the grain call costs is all it adds.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class HashWorkerGrain : Grain, IHashWorkerGrain
{
    public Task<(string Hash, int Length)> HashAsync(string content) => Task.FromResult(Hash(content));

    public static (string Hash, int Length) Hash(string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        return (Hasher.Hash(bytes).ToString(), bytes.Length);
    }
}
