using OmniBridge.Grains.Concurrency;

namespace OmniBridge.Tests.Grains.Concurrency;

/// <summary>Reads gathered from concurrent callers: fewer queries than calls, each caller its own answer or the query's failure.</summary>
public sealed class GatheredReadsTests
{
    [Fact]
    public async Task Concurrent_calls_share_queries_and_each_gets_the_value_of_its_own_key()
    {
        var queries = 0;
        var gate = new TaskCompletionSource();
        using var reads = new GatheredReads<int, string>(2, 1000, async (keys, _) =>
        {
            Interlocked.Increment(ref queries);
            await gate.Task;
            return keys.Where(k => k % 3 != 0).ToDictionary(k => k, k => $"value {k}");
        });

        var calls = Enumerable.Range(0, 300).Select(i => reads.GetAsync(i % 150)).ToList();
        gate.SetResult();
        var answers = await Task.WhenAll(calls);

        Assert.True(queries < 300, $"{queries} queries for 300 calls");
        for (var i = 0; i < 300; i++) Assert.Equal(i % 150 % 3 == 0 ? null : $"value {i % 150}", answers[i]);
    }

    [Fact]
    public async Task A_failed_query_fails_the_calls_it_answers_and_the_next_calls_are_read_again()
    {
        var fail = true;
        using var reads = new GatheredReads<string, string>(1, 1000, (keys, _) => fail
            ? Task.FromException<IReadOnlyDictionary<string, string>>(new TimeoutException("the store is away"))
            : Task.FromResult<IReadOnlyDictionary<string, string>>(keys.ToDictionary(k => k, k => k.ToUpperInvariant())));

        var failed = await Assert.ThrowsAsync<TimeoutException>(() => reads.GetAsync("a"));
        fail = false;

        Assert.Equal("the store is away", failed.Message);
        Assert.Equal("B", await reads.GetAsync("b"));
    }

    [Fact]
    public async Task After_disposal_a_call_is_read_on_its_own()
    {
        var reads = new GatheredReads<string, string>(1, 1000, (keys, _) => Task.FromResult<IReadOnlyDictionary<string, string>>(keys.ToDictionary(k => k, k => k + "!")));
        reads.Dispose();

        Assert.Equal("x!", await reads.GetAsync("x"));
    }
}
