using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using NpgsqlTypes;
using OmniBridge.Grains.Concurrency;
using OmniBridge.Grains.Interfaces.Transparency;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Transparency;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Transparency logs in PostgreSQL (docs/transparency.md, "Storage"): leaves, hash tiles
/// (<see cref="LogTiles"/>) and checkpoints in their own tables, each record's leaf index with its
/// leaf, and the records waiting for one in <c>transparency_log_backlog</c> (filled by a trigger on
/// every insert, sql/0018). An integration is one transaction holding the log's row lock,
/// so a silo killed halfway leaves no leaf, tile or index behind, and two writers (a grain
/// briefly activated twice) take turns rather than both appending. Tiles read or written are kept
/// in memory (up to <see cref="TileCacheBytes"/>): a tile only grows at its end, so a kept tile
/// answers for every hash it holds, and is read again only when a proof needs a hash past its end.
/// </summary>
public sealed class PostgresTransparencyLog : ITransparencyLogStore, IDisposable
{
    /// <summary>Memory for tiles kept between proofs, with every level they span: 2,048 full tiles, the hashes of a quarter of a million leaves.</summary>
    public const long TileCacheBytes = 16 << 20;

    /// <summary>Reads of checkpoints or tiles in flight at once; concurrent proofs' reads are gathered into them.</summary>
    const int Readers = 4;

    readonly NpgsqlDataSource database;
    readonly MemoryCache tiles = new(new MemoryCacheOptions { SizeLimit = TileCacheBytes });
    readonly GatheredReads<string, string> checkpoints;
    readonly GatheredReads<(string Namespace, LogTiles.TileId Tile), byte[]> tileReads;

    public PostgresTransparencyLog(NpgsqlDataSource database)
    {
        this.database = database;
        checkpoints = new(Readers, 1000, ReadCheckpointsAsync);
        tileReads = new(Readers, 1000, ReadTilesAsync);
    }

    public Task<long> IntegrateAsync(string namespaceName, int limit, Func<LogTip, IReadOnlyList<LeafFields>, LogAppend> plan, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard(async deadline =>
        {
            await using var connection = await database.OpenConnectionAsync(deadline);
            await using var transaction = await connection.BeginTransactionAsync(deadline);
            // A log's row is made by its first integration, so that asking about a namespace with
            // no records (any reader may) leaves nothing behind. Only then is the backlog looked at:
            // its index keeps an entry for every record integrated since the last vacuum, and
            // walking those twice a round (here and below) cost 5 ms and 1,200 buffers a round
            // after 250,000 records (when the backlog was an index of metadata_stamps).
            long size;
            await using (var lockRow = new NpgsqlCommand("""
                INSERT INTO transparency_logs (namespace)
                SELECT @namespace WHERE CASE
                    WHEN EXISTS (SELECT 1 FROM transparency_logs WHERE namespace = @namespace) THEN false
                    ELSE EXISTS (SELECT 1 FROM transparency_log_backlog WHERE namespace = @namespace) END
                ON CONFLICT (namespace) DO NOTHING;
                SELECT tree_size FROM transparency_logs WHERE namespace = @namespace FOR UPDATE;
                """, connection))
            {
                lockRow.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
                if (await lockRow.ExecuteScalarAsync(deadline) is not long locked) return 0;
                size = locked;
            }

            // The waiting records, oldest first, taken off the backlog as they are read (the transaction
            // puts them back if anything below fails). One that already has a leaf (a silo of the version
            // before sql/0018 took it in by its null log_index) only leaves the backlog. The rows are
            // deleted by their ctid, found by the primary key's first rows: a delete that named them by
            // their ids (= ANY of the batch's ids) compared every row with every id, a second a batch
            // of 5,000, and fell behind /batch (bench/README.md, "A backlog delete by position").
            var records = new List<LeafFields>();
            var taken = 0;
            await using (var backlog = new NpgsqlCommand("""
                WITH taken AS (
                    DELETE FROM transparency_log_backlog
                    WHERE ctid = ANY (ARRAY(
                        SELECT ctid FROM transparency_log_backlog WHERE namespace = @namespace
                        ORDER BY created_at, stamp_id LIMIT @limit))
                    RETURNING stamp_id, file_hash, sha256, file_size, created_at)
                SELECT t.stamp_id, t.file_hash, t.sha256, t.file_size, t.created_at,
                       EXISTS (SELECT 1 FROM transparency_log_leaves l WHERE l.stamp_id = t.stamp_id)
                FROM taken t
                ORDER BY t.created_at, t.stamp_id
                """, connection))
            {
                backlog.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
                backlog.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
                await using var reader = await backlog.ExecuteReaderAsync(deadline);
                while (await reader.ReadAsync(deadline))
                {
                    taken++;
                    // The namespace is the one asked for: one string fewer per record to read.
                    if (!reader.GetBoolean(5))
                        records.Add(new LeafFields(reader.GetGuid(0), namespaceName, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                            reader.GetInt64(3), reader.GetDateTime(4)));
                }
            }
            if (taken == 0) return size;

            var frontier = MerkleTree.Frontier(size);
            var hashes = await ReadNodesAsync(connection, namespaceName, frontier, deadline);
            var append = plan(new LogTip(size, [.. frontier.Select(n => hashes[n])]), records);

            var indices = Enumerable.Range(0, append.Leaves.Count).Select(i => size + i).ToArray();
            var appends = LogTiles.Appends(append.Nodes);
            var written = new List<(LogTiles.TileId Tile, byte[] Hashes)>(appends.Count);
            await using (var write = new NpgsqlCommand("""
                INSERT INTO transparency_log_tiles AS t (namespace, tile_level, tile_index, hashes)
                SELECT @namespace, l, i, h FROM unnest(@tile_levels, @tile_indices, @tile_hashes) AS x(l, i, h)
                ON CONFLICT (namespace, tile_level, tile_index) DO UPDATE SET hashes = t.hashes || EXCLUDED.hashes
                RETURNING tile_level, tile_index, hashes;
                INSERT INTO transparency_log_leaves (namespace, leaf_index, stamp_id, leaf)
                SELECT @namespace, i, s, l FROM unnest(@indices, @stamp_ids, @leaves) AS x(i, s, l);
                UPDATE transparency_logs SET tree_size = @size WHERE namespace = @namespace;
                """, connection))
            {
                write.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
                write.Parameters.Add(new NpgsqlParameter<short[]>("tile_levels", [.. appends.Select(a => (short)a.Tile.Level)]));
                write.Parameters.Add(new NpgsqlParameter<long[]>("tile_indices", [.. appends.Select(a => a.Tile.Index)]));
                write.Parameters.Add(new NpgsqlParameter("tile_hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = appends.Select(a => a.Hashes).ToArray() });
                write.Parameters.Add(new NpgsqlParameter<long[]>("indices", indices));
                write.Parameters.Add(new NpgsqlParameter<Guid[]>("stamp_ids", [.. append.Leaves.Select(l => l.StampId)]));
                write.Parameters.Add(new NpgsqlParameter("leaves", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = append.Leaves.Select(l => l.Leaf).ToArray() });
                write.Parameters.Add(new NpgsqlParameter<long>("size", size + append.Leaves.Count));
                await using var reader = await write.ExecuteReaderAsync(deadline);
                while (await reader.ReadAsync(deadline))
                    written.Add((new LogTiles.TileId(reader.GetInt16(0), reader.GetInt64(1)), reader.GetFieldValue<byte[]>(2)));
                while (await reader.NextResultAsync(deadline))
                {
                }
            }
            // Each tile must have grown from exactly where this append began: anything else means
            // the stored tree is not the one the frontier described, and nothing is committed.
            var widths = appends.ToDictionary(a => a.Tile, a => a.WidthAfter);
            foreach (var (tile, grown) in written)
            {
                if (grown.Length != widths[tile] * LogTiles.HashSize)
                    throw new InvalidOperationException($"the log of {namespaceName} has {grown.Length / LogTiles.HashSize} hashes in tile {tile} where {widths[tile]} were expected");
            }
            await transaction.CommitAsync(deadline);
            foreach (var (tile, grown) in written) Keep(namespaceName, tile, grown);
            return size + append.Leaves.Count;
        }, cancellationToken);

    public Task<long> SizeAsync(string namespaceName, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard(async deadline =>
        {
            await using var command = database.CreateCommand("SELECT tree_size FROM transparency_logs WHERE namespace = @namespace");
            command.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
            return await command.ExecuteScalarAsync(deadline) is long size ? size : 0;
        }, cancellationToken);

    // Its reads go through the gathered tile reads, each guarded already.
    public Task<IReadOnlyDictionary<TreeNode, byte[]>> NodesAsync(string namespaceName, IReadOnlyCollection<TreeNode> nodes, CancellationToken cancellationToken = default) =>
        ReadNodesAsync(null, namespaceName, nodes, cancellationToken);

    public Task<IReadOnlyList<LogEntry>> EntriesAsync(string namespaceName, long start, int limit, long size, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard<IReadOnlyList<LogEntry>>(async deadline =>
        {
            await using var command = database.CreateCommand("""
                SELECT leaf_index, leaf FROM transparency_log_leaves
                WHERE namespace = @namespace AND leaf_index >= @start AND leaf_index < @end
                ORDER BY leaf_index
                """);
            command.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
            command.Parameters.Add(new NpgsqlParameter<long>("start", start));
            command.Parameters.Add(new NpgsqlParameter<long>("end", Math.Min(size, start + limit)));
            var entries = new List<LogEntry>();
            await using var reader = await command.ExecuteReaderAsync(deadline);
            while (await reader.ReadAsync(deadline)) entries.Add(new LogEntry { Index = reader.GetInt64(0), Leaf = reader.GetFieldValue<byte[]>(1) });
            return entries;
        }, cancellationToken);

    public Task<string?> CheckpointAsync(string namespaceName, CancellationToken cancellationToken = default) =>
        checkpoints.GetAsync(namespaceName, cancellationToken);

    /// <summary>The latest checkpoint of each of <paramref name="namespaces"/> that has one, in one statement.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadCheckpointsAsync(IReadOnlyList<string> namespaces, CancellationToken cancellationToken) =>
        PostgresFailure.Guard<IReadOnlyDictionary<string, string>>(async deadline =>
        {
            await using var command = database.CreateCommand("""
                SELECT k.namespace, c.note FROM unnest(@namespaces) AS k(namespace)
                CROSS JOIN LATERAL (
                    SELECT note FROM transparency_log_checkpoints WHERE namespace = k.namespace ORDER BY tree_size DESC LIMIT 1) AS c
                """);
            command.Parameters.Add(new NpgsqlParameter<string[]>("namespaces", [.. namespaces]));
            var notes = new Dictionary<string, string>(namespaces.Count);
            await using var reader = await command.ExecuteReaderAsync(deadline);
            while (await reader.ReadAsync(deadline)) notes[reader.GetString(0)] = reader.GetString(1);
            return notes;
        }, cancellationToken);

    public Task SaveCheckpointAsync(string namespaceName, long size, string note, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard(async deadline =>
        {
            // The same size signed again (by a new key) replaces the note: its tree is the same.
            await using var command = database.CreateCommand("""
                INSERT INTO transparency_log_checkpoints (namespace, tree_size, note) VALUES (@namespace, @size, @note)
                ON CONFLICT (namespace, tree_size) DO UPDATE SET note = EXCLUDED.note, signed_at = now()
                """);
            command.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
            command.Parameters.Add(new NpgsqlParameter<long>("size", size));
            command.Parameters.Add(new NpgsqlParameter<string>("note", note));
            return await command.ExecuteNonQueryAsync(deadline);
        }, cancellationToken);

    public Task<IReadOnlyList<string>> BackloggedNamespacesAsync(int limit, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard<IReadOnlyList<string>>(async deadline =>
        {
            // A skip scan by hand over the backlog index: one index probe per namespace, however many records wait.
            await using var command = database.CreateCommand("""
                WITH RECURSIVE waiting(namespace) AS (
                    (SELECT namespace FROM transparency_log_backlog ORDER BY namespace LIMIT 1)
                    UNION ALL
                    SELECT (SELECT b.namespace FROM transparency_log_backlog b WHERE b.namespace > w.namespace ORDER BY b.namespace LIMIT 1)
                    FROM waiting w WHERE w.namespace IS NOT NULL
                )
                SELECT namespace FROM waiting WHERE namespace IS NOT NULL LIMIT @limit
                """);
            command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            var namespaces = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(deadline);
            while (await reader.ReadAsync(deadline)) namespaces.Add(reader.GetString(0));
            return namespaces;
        }, cancellationToken);

    /// <summary>
    /// The hashes of <paramref name="nodes"/> from their tiles: kept ones where they reach far enough,
    /// the rest read in one query (on <paramref name="connection"/> within an integration, else on a pooled one).
    /// </summary>
    async Task<IReadOnlyDictionary<TreeNode, byte[]>> ReadNodesAsync(NpgsqlConnection? connection, string namespaceName, IReadOnlyCollection<TreeNode> nodes, CancellationToken cancellationToken)
    {
        var needed = new Dictionary<LogTiles.TileId, int>();
        foreach (var node in nodes)
        {
            var (tile, width) = LogTiles.Holding(node);
            needed[tile] = Math.Max(width, needed.GetValueOrDefault(tile));
        }
        var held = new Dictionary<LogTiles.TileId, LogTiles.Expanded>(needed.Count);
        var missing = new List<LogTiles.TileId>();
        foreach (var (tile, width) in needed)
        {
            if (tiles.TryGetValue((namespaceName, tile), out LogTiles.Expanded? kept) && kept!.Width >= width) held[tile] = kept;
            else missing.Add(tile);
        }
        if (missing.Count > 0)
        {
            // Within an integration, on its connection; otherwise gathered with other proofs' reads.
            var read = connection is null
                ? await Task.WhenAll(missing.Select(async tile => (Tile: tile, Hashes: await tileReads.GetAsync((namespaceName, tile), cancellationToken))))
                : [.. (await ReadTilesAsync(connection, [.. missing.Select(t => (namespaceName, t))], cancellationToken)).Select(t => (t.Key.Tile, (byte[]?)t.Value))];
            foreach (var (tile, hashes) in read)
            {
                if (hashes is not null) held[tile] = Keep(namespaceName, tile, hashes);
            }
        }

        var lacking = needed.Count(n => !held.TryGetValue(n.Key, out var kept) || kept.Width < n.Value);
        if (lacking > 0)
            throw new InvalidOperationException($"the log of {namespaceName} lacks {lacking} of the {needed.Count} stored tiles a proof needs");
        var found = new Dictionary<TreeNode, byte[]>(nodes.Count);
        foreach (var node in nodes) found[node] = held[LogTiles.Holding(node).Tile].HashOf(node);
        return found;
    }

    Task<IReadOnlyDictionary<(string Namespace, LogTiles.TileId Tile), byte[]>> ReadTilesAsync(IReadOnlyList<(string Namespace, LogTiles.TileId Tile)> keys, CancellationToken cancellationToken) =>
        PostgresFailure.Guard(deadline => ReadTilesAsync(null, keys, deadline), cancellationToken);

    /// <summary>The stored tiles of <paramref name="keys"/>, in one statement.</summary>
    async Task<IReadOnlyDictionary<(string Namespace, LogTiles.TileId Tile), byte[]>> ReadTilesAsync(NpgsqlConnection? connection, IReadOnlyList<(string Namespace, LogTiles.TileId Tile)> keys, CancellationToken cancellationToken)
    {
        await using var command = connection?.CreateCommand() ?? database.CreateCommand();
        command.CommandText = """
            SELECT t.namespace, t.tile_level, t.tile_index, t.hashes FROM unnest(@namespaces, @levels, @indices) AS k(namespace, tile_level, tile_index)
            JOIN transparency_log_tiles t ON t.namespace = k.namespace AND t.tile_level = k.tile_level AND t.tile_index = k.tile_index
            """;
        command.Parameters.Add(new NpgsqlParameter<string[]>("namespaces", [.. keys.Select(k => k.Namespace)]));
        command.Parameters.Add(new NpgsqlParameter<short[]>("levels", [.. keys.Select(k => (short)k.Tile.Level)]));
        command.Parameters.Add(new NpgsqlParameter<long[]>("indices", [.. keys.Select(k => k.Tile.Index)]));
        var found = new Dictionary<(string, LogTiles.TileId), byte[]>(keys.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            found[(reader.GetString(0), new LogTiles.TileId(reader.GetInt16(1), reader.GetInt64(2)))] = reader.GetFieldValue<byte[]>(3);
        return found;
    }

    LogTiles.Expanded Keep(string namespaceName, LogTiles.TileId tile, byte[] hashes)
    {
        var expanded = new LogTiles.Expanded(hashes);
        return tiles.Set((namespaceName, tile), expanded, new MemoryCacheEntryOptions { Size = expanded.Size });
    }

    public void Dispose()
    {
        checkpoints.Dispose();
        tileReads.Dispose();
        tiles.Dispose();
    }
}
