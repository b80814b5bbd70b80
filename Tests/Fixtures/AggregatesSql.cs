using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace OmniBridge.Tests.Fixtures;

/// <summary>docs/architecture.md, "Reducers": a namespace's aggregates, as the API shows them, equal SQL over its rows in metadata_stamps.</summary>
public static class AggregatesSql
{
    public static async Task AssertEqualAsync(NpgsqlDataSource data, string ns, JsonElement aggregates)
    {
        await using var command = data.CreateCommand("""
            SELECT count(*), sum(file_size), min(created_at), max(created_at), avg(processing_time_ms), count(DISTINCT workflow_id),
                   count(*) FILTER (WHERE file_size < 1024), count(*) FILTER (WHERE file_size >= 1024 AND file_size < 65536),
                   count(*) FILTER (WHERE file_size >= 65536 AND file_size < 1048576),
                   count(*) FILTER (WHERE file_size >= 1048576 AND file_size < 67108864), count(*) FILTER (WHERE file_size >= 67108864),
                   count(DISTINCT lower(substring(regexp_replace(file_path, '^.*[/\\]', '') FROM '^.+\.([^.]+)$')))
            FROM metadata_stamps WHERE namespace = @ns
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("ns", ns));
        await using (var row = await command.ExecuteReaderAsync())
        {
            await row.ReadAsync();
            Assert.Equal(row.GetInt64(0), aggregates.GetProperty("total_stamps").GetInt64());
            Assert.Equal(row.GetInt64(1), aggregates.GetProperty("total_size_bytes").GetInt64());
            Assert.Equal(Iso(row.GetDateTime(2)), aggregates.GetProperty("first_stamp_at").GetString());
            Assert.Equal(Iso(row.GetDateTime(3)), aggregates.GetProperty("last_stamp_at").GetString());
            Assert.Equal(row.GetDouble(4), aggregates.GetProperty("mean_processing_time_ms").GetDouble(), tolerance: 1e-9);
            Assert.Equal(row.GetInt64(5), aggregates.GetProperty("workflows_seen").GetInt32());
            var buckets = aggregates.GetProperty("size_buckets");
            Assert.Equal([row.GetInt64(6), row.GetInt64(7), row.GetInt64(8), row.GetInt64(9), row.GetInt64(10)],
                new[] { "under_1kib", "under_64kib", "under_1mib", "under_64mib", "larger" }.Select(b => buckets.GetProperty(b).GetInt64()));
            Assert.Equal(row.GetInt64(11), aggregates.GetProperty("unique_file_types_count").GetInt32());
        }

        await using var types = data.CreateCommand("SELECT content_type, count(*) FROM metadata_stamps WHERE namespace = @ns GROUP BY content_type");
        types.Parameters.Add(new NpgsqlParameter<string>("ns", ns));
        var expected = new Dictionary<string, long>();
        await using (var rows = await types.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync()) expected[rows.GetString(0)] = rows.GetInt64(1);
        }
        Assert.Equal(expected, aggregates.GetProperty("content_types").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));

        await using var minutes = data.CreateCommand("""
            SELECT date_trunc('minute', created_at), count(*) FROM metadata_stamps
            WHERE namespace = @ns AND created_at > date_trunc('minute', now()) - interval '60 minutes'
            GROUP BY 1 ORDER BY 1
            """);
        minutes.Parameters.Add(new NpgsqlParameter<string>("ns", ns));
        var perMinute = new List<(string, long)>();
        await using (var rows = await minutes.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync()) perMinute.Add((Iso(rows.GetDateTime(0)), rows.GetInt64(1)));
        }
        Assert.Equal(perMinute, aggregates.GetProperty("per_minute").EnumerateArray().Select(m => (m.GetProperty("minute").GetString()!, m.GetProperty("count").GetInt64())));
    }

    static string Iso(DateTime utc) => utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
