using Npgsql;
using OmniBridge.Silo.Postgres;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>
/// A transaction PostgreSQL rolls back to break a deadlock left nothing behind, so the store runs it
/// again instead of answering 503 (<see cref="PostgresFailure.Guard"/>).
/// </summary>
public sealed class DeadlockRetryTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Two_transactions_that_deadlock_both_commit_the_one_rolled_back_run_again()
    {
        await database.ExecuteAsync("""
            CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL);
            INSERT INTO accounts VALUES (1, 100), (2, 100);
            CREATE TABLE transfers (id serial PRIMARY KEY, from_id int NOT NULL, to_id int NOT NULL)
            """);
        // Each transfer's first run locks its first row, waits until the other has locked its own,
        // then asks for the other's: a real deadlock, which the server breaks by rolling one back.
        var holding = 0;
        var bothHold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = new int[2];
        Task<int> Transfer(int index, int from, int to) => PostgresFailure.Guard(async token =>
        {
            var run = Interlocked.Increment(ref runs[index]);
            await using var connection = await database.Data.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            await ExecuteAsync(connection, $"UPDATE accounts SET balance = balance - 10 WHERE id = {from}", token);
            if (run == 1)
            {
                if (Interlocked.Increment(ref holding) == 2) bothHold.SetResult();
                await bothHold.Task.WaitAsync(TimeSpan.FromSeconds(3), token);
            }
            await ExecuteAsync(connection, $"UPDATE accounts SET balance = balance + 10 WHERE id = {to}", token);
            await ExecuteAsync(connection, $"INSERT INTO transfers (from_id, to_id) VALUES ({from}, {to})", token);
            await transaction.CommitAsync(token);
            return run;
        }, CancellationToken.None);

        var ran = await Task.WhenAll(Transfer(0, 1, 2), Transfer(1, 2, 1));

        Assert.Equal([1, 2], ran.Order());
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM transfers"));
        Assert.Equal(100, await database.ScalarAsync<int>("SELECT balance FROM accounts WHERE id = 1"));
        Assert.Equal(100, await database.ScalarAsync<int>("SELECT balance FROM accounts WHERE id = 2"));
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken token)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(token);
    }
}
