using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Outbox;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Stamp records in <c>metadata_stamps</c>. Every write is "insert unless the key exists, then
/// read what is stored": the insert says which rows it wrote (one round trip when every key is
/// new), and the keys it did not write are read back in a second statement. The unique
/// (namespace, file_hash) constraint decides races, and the read that follows sees the winner
/// whoever it was.
/// </summary>
public sealed class PostgresStampStore(NpgsqlDataSource database) : IStampStore
{
    const string Inserted = """
        stamp_id, file_hash, namespace, file_path, file_size, content_type, stamp_type, stamp, op_id,
        version, metadata_version, protocol_version, intelligence_data::text, metadata::text, created_at,
        workflow_id, processing_time_ms, sha256
        """;

    /// <summary>
    /// The columns <see cref="Read"/> reads, in its order, of a row of metadata_stamps named <c>s</c>:
    /// a record's leaf index is its leaf's (sql/0018; one unique-index probe).
    /// </summary>
    internal const string Columns = Inserted + ", (SELECT l.leaf_index FROM transparency_log_leaves l WHERE l.stamp_id = s.stamp_id) AS log_index";

    /// <summary>
    /// The insert of a batch of records with their backlog rows and events (one statement, one
    /// transaction); built once, not per call.
    /// </summary>
    static readonly string InsertSql = $"""
        WITH inserted AS (
            INSERT INTO metadata_stamps ({Inserted.Replace("::text", "", StringComparison.Ordinal)})
            SELECT DISTINCT ON (namespace, file_hash)
                   stamp_id, file_hash, namespace, file_path, file_size, content_type, stamp_type, stamp, op_id,
                   version, metadata_version, protocol_version, intelligence_data::jsonb, metadata::jsonb, created_at,
                   workflow_id, processing_time_ms, sha256
            FROM unnest(@stamp_ids, @file_hashes, @namespaces, @file_paths, @file_sizes, @content_types, @stamp_types,
                        @stamps, @op_ids, @versions, @metadata_versions, @protocol_versions, @intelligence, @metadata, @created_ats,
                        @workflow_ids, @processing_times, @sha256s)
                 WITH ORDINALITY AS item(stamp_id, file_hash, namespace, file_path, file_size, content_type, stamp_type,
                                         stamp, op_id, version, metadata_version, protocol_version, intelligence_data,
                                         metadata, created_at, workflow_id, processing_time_ms, sha256, ordinal)
            ORDER BY namespace, file_hash, ordinal
            ON CONFLICT (namespace, file_hash) DO NOTHING
            RETURNING stamp_id, namespace, created_at, intelligence_data, metadata
        ), backlog AS (
            -- Each new stamp joins its namespace reducer's backlog in the same statement...
            INSERT INTO reducer_backlog (namespace, stamp_id) SELECT namespace, stamp_id FROM inserted
        ),
        -- ...and its stamp-created event the outbox (an event's id is its stamp's), with the batch's own events.
        {OutboxRows.WrittenSql(flagged: true)},
        outbox AS ({OutboxRows.InsertSql(flagged: true)})
        -- What was inserted comes back: its id, and what the database may have written
        -- otherwise than it was sent (the time at its precision, the JSON as jsonb keeps it).
        SELECT stamp_id, created_at, intelligence_data::text, metadata::text FROM inserted
        """;

    public async Task<StoredStamp> AddAsync(StampRecord record, StampOutboxEvents? events = null, CancellationToken cancellationToken = default) =>
        (await AddBatchAsync([record], events, cancellationToken))[0];

    public Task<IReadOnlyList<StoredStamp>> AddBatchAsync(IReadOnlyList<StampRecord> records, StampOutboxEvents? events = null, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard<IReadOnlyList<StoredStamp>>(async deadline =>
        {
            await using var batch = database.CreateBatch();
            // The first occurrence of a key within the batch is the one inserted (DISTINCT ON keeps the lowest ordinal).
            var insert = Command(InsertSql,
                Array("stamp_ids", NpgsqlDbType.Uuid, records, r => r.StampId),
                Array("file_hashes", NpgsqlDbType.Text, records, r => r.FileHash),
                Array("namespaces", NpgsqlDbType.Text, records, r => r.Namespace),
                Array("file_paths", NpgsqlDbType.Text, records, r => r.FilePath),
                Array("file_sizes", NpgsqlDbType.Bigint, records, r => r.FileSize),
                Array("content_types", NpgsqlDbType.Text, records, r => r.ContentType),
                Array("stamp_types", NpgsqlDbType.Text, records, r => r.StampType.Wire()),
                Array("stamps", NpgsqlDbType.Text, records, r => r.Stamp),
                Array("op_ids", NpgsqlDbType.Uuid, records, r => r.OpId),
                Array("versions", NpgsqlDbType.Integer, records, r => r.Version),
                Array("metadata_versions", NpgsqlDbType.Text, records, r => r.MetadataVersion),
                Array("protocol_versions", NpgsqlDbType.Text, records, r => r.ProtocolVersion),
                Array("intelligence", NpgsqlDbType.Text, records, r => r.IntelligenceDataJson),
                Array("metadata", NpgsqlDbType.Text, records, r => JsonSerializer.Serialize(r.Metadata)),
                Array("created_ats", NpgsqlDbType.TimestampTz, records, r => r.CreatedAt),
                Array("workflow_ids", NpgsqlDbType.Uuid, records, r => r.WorkflowId),
                Array("processing_times", NpgsqlDbType.Double, records, r => r.ProcessingTimeMs),
                Array("sha256s", NpgsqlDbType.Text, records, r => r.Sha256));
            insert.Parameters.AddRange(OutboxParameters(events));
            batch.BatchCommands.Add(insert);
            var stored = new Dictionary<(string, string), StampRecord>(records.Count);
            await ReadInsertedAsync(batch, records, stored, deadline);

            // Keys that were there already (or that a racing request took first) are read back. A
            // statement of its own takes a fresh snapshot: it sees rows that a racing request
            // committed while the insert above waited on the unique key. LATERAL makes it one
            // unique-index lookup per key, however large the table grows.
            var existing = records.Where(r => !stored.ContainsKey((r.Namespace, r.FileHash))).Select(r => (r.Namespace, r.FileHash)).Distinct().ToList();
            if (existing.Count > 0)
            {
                await using var lookup = Lookup(existing);
                await ReadIntoAsync(lookup, stored, deadline);
            }
            return records
                .Select(r => stored[(r.Namespace, r.FileHash)])
                .Select((record, i) => new StoredStamp(record, Created: record.StampId == records[i].StampId))
                .ToList();
        }, cancellationToken);

    /// <summary>The records of <paramref name="keys"/> that exist, in one statement (see <see cref="GroupCommitStampStore"/>).</summary>
    public Task<IReadOnlyDictionary<(string Namespace, string FileHash), StampRecord>> FindManyAsync(IReadOnlyList<(string Namespace, string FileHash)> keys, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard<IReadOnlyDictionary<(string, string), StampRecord>>(async deadline =>
        {
            var found = new Dictionary<(string, string), StampRecord>(keys.Count);
            await using var lookup = Lookup(keys);
            await ReadIntoAsync(lookup, found, deadline);
            return found;
        }, cancellationToken);

    /// <summary>
    /// A statement that reads the records of <paramref name="keys"/>. A statement of its own takes a
    /// fresh snapshot (it sees rows that a racing request committed while an insert waited on the
    /// unique key), and LATERAL makes it one unique-index lookup per key, however large the table grows.
    /// </summary>
    NpgsqlBatch Lookup(IReadOnlyList<(string Namespace, string FileHash)> keys)
    {
        var lookup = database.CreateBatch();
        lookup.BatchCommands.Add(Command($"""
            SELECT m.* FROM unnest(@namespaces, @file_hashes) AS k(namespace, file_hash)
            CROSS JOIN LATERAL (
                SELECT {Columns} FROM metadata_stamps s
                WHERE s.namespace = k.namespace AND s.file_hash = k.file_hash) AS m
            """,
            new NpgsqlParameter<string[]>("namespaces", [.. keys.Select(k => k.Namespace)]),
            new NpgsqlParameter<string[]>("file_hashes", [.. keys.Select(k => k.FileHash)])));
        return lookup;
    }

    public async Task<StampRecord?> FindAsync(string namespaceName, string fileHash, CancellationToken cancellationToken = default) =>
        (await FindManyAsync([(namespaceName, fileHash)], cancellationToken)).GetValueOrDefault((namespaceName, fileHash));

    public Task<StampPage> ListAsync(string namespaceName, int limit, StampCursor? after, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard(async deadline =>
        {
            // Row comparison on (created_at, stamp_id) walks the listing index backwards from the cursor.
            await using var command = database.CreateCommand($"""
                SELECT {Columns} FROM metadata_stamps s
                WHERE namespace = @namespace {(after is null ? "" : "AND (created_at, stamp_id) < (@after_at, @after_id)")}
                ORDER BY created_at DESC, stamp_id DESC
                LIMIT @limit
                """);
            command.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
            command.Parameters.Add(new NpgsqlParameter<int>("limit", limit + 1));
            if (after is not null)
            {
                command.Parameters.Add(new NpgsqlParameter<DateTime>("after_at", after.CreatedAt));
                command.Parameters.Add(new NpgsqlParameter<Guid>("after_id", after.StampId));
            }
            var page = new List<StampRecord>(Math.Min(limit + 1, 1001));
            await using (var reader = await command.ExecuteReaderAsync(deadline))
            {
                while (await reader.ReadAsync(deadline)) page.Add(Read(reader));
            }
            var more = page.Count > limit;
            if (more) page.RemoveAt(limit);
            return new StampPage { Records = page, Next = more ? StampCursor.After(page[^1]) : null };
        }, cancellationToken);

    /// <summary>The outbox rows: those of <c>IfCreated</c> (written with their record), then those of <c>Always</c>.</summary>
    static NpgsqlParameter[] OutboxParameters(StampOutboxEvents? events) =>
        OutboxRows.Parameters(
            [.. events?.IfCreated ?? [], .. events?.Always ?? []],
            [.. (events?.IfCreated ?? []).Select(_ => false), .. (events?.Always ?? []).Select(_ => true)]);

    /// <summary>
    /// The records the insert wrote, from the few columns it returns: each is the record sent, with
    /// the stored time and JSON where they differ from what was sent. (Reading every column back
    /// cost a silo a string per column and a dictionary per record, about 1 KB a stamp.)
    /// </summary>
    static async Task ReadInsertedAsync(NpgsqlBatch batch, IReadOnlyList<StampRecord> records, Dictionary<(string, string), StampRecord> stored, CancellationToken cancellationToken)
    {
        var sent = new Dictionary<Guid, StampRecord>(records.Count);
        foreach (var record in records) sent.TryAdd(record.StampId, record);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = sent[reader.GetGuid(0)];
            var createdAt = reader.GetDateTime(1);
            var intelligence = reader.GetString(2);
            var metadata = reader.GetString(3);
            var same = createdAt == record.CreatedAt && intelligence == record.IntelligenceDataJson && record.Metadata.Count == 0 && metadata == "{}";
            stored[(record.Namespace, record.FileHash)] = same ? record : record with
            {
                CreatedAt = createdAt,
                IntelligenceDataJson = intelligence,
                Metadata = MetadataOf(metadata),
            };
        }
    }

    static async Task ReadIntoAsync(NpgsqlBatch batch, Dictionary<(string, string), StampRecord> stored, CancellationToken cancellationToken)
    {
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = Read(reader);
            stored[(record.Namespace, record.FileHash)] = record;
        }
    }

    static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, IReadOnlyList<StampRecord> records, Func<StampRecord, T> value) =>
        new(name, NpgsqlDbType.Array | type) { Value = records.Select(value).ToArray() };

    /// <summary>The metadata column as its text (<c>metadata::text</c>) reads.</summary>
    static Dictionary<string, string> MetadataOf(string json) => JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    /// <summary>A record from a row of <see cref="Columns"/>.</summary>
    internal static StampRecord Read(NpgsqlDataReader reader) => new()
    {
        StampId = reader.GetGuid(0),
        FileHash = reader.GetString(1),
        Namespace = reader.GetString(2),
        FilePath = reader.IsDBNull(3) ? null : reader.GetString(3),
        FileSize = reader.GetInt64(4),
        ContentType = reader.GetString(5),
        StampType = WireNames.Parse<StampType>(reader.GetString(6)),
        Stamp = reader.GetString(7),
        OpId = reader.GetGuid(8),
        Version = reader.GetInt32(9),
        MetadataVersion = reader.GetString(10),
        ProtocolVersion = reader.GetString(11),
        IntelligenceDataJson = reader.GetString(12),
        Metadata = MetadataOf(reader.GetString(13)),
        CreatedAt = reader.GetDateTime(14),
        WorkflowId = reader.IsDBNull(15) ? null : reader.GetGuid(15),
        ProcessingTimeMs = reader.GetDouble(16),
        Sha256 = reader.IsDBNull(17) ? null : reader.GetString(17),
        LogIndex = reader.IsDBNull(18) ? null : reader.GetInt64(18),
    };
}
