using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Grains.Events;

/// <summary>docs/protocol.md, "Events": the OnexEnvelopeV1 fields, topics, keys, ids and signatures.</summary>
public sealed class EnvelopeTests
{
    static readonly byte[] Key = Encoding.UTF8.GetBytes("0123456789abcdef-key");

    static EventEnvelopes Envelopes(byte[]? key = null, string environment = "prod") =>
        new(Options.Create(new EventOptions { Environment = environment, SourceInstance = "silo-7", SigningKey = key }), TimeProvider.System);

    [Fact]
    public void The_signed_form_is_rfc_8785_canonical_json_byte_for_byte()
    {
        // The example of RFC 8785 §3.2.3, input and output as published.
        var input = JsonNode.Parse("""
            {"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
             "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
             "literals": [null, true, false]}
            """);
        Assert.Equal("""{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""",
            Encoding.UTF8.GetString(CanonicalJson.Of(input)));
        // Keys by UTF-16 code units; no escaping beyond JSON's own (U+2028 and an emoji stay as they are).
        var keys = JsonNode.Parse("{\"\\ud83d\\ude00\":2,\"\\u20ac\":\"\\u2028\",\"a\":1}");
        Assert.Equal("{\"a\":1,\"€\":\"\u2028\",\"😀\":2}", Encoding.UTF8.GetString(CanonicalJson.Of(keys)));
    }

    [Theory]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(0.0000001, "1e-7")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(123456789.0, "123456789")]
    [InlineData(1.2345e-5, "0.000012345")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    public void Numbers_are_written_as_ecmascript_writes_them(double value, string expected) => Assert.Equal(expected, CanonicalJson.Number(value));

    [Fact]
    public void The_signature_is_hmac_sha256_of_the_canonical_bytes_as_openssl_computes_it()
    {
        var payload = JsonNode.Parse("""{ "é": "ü", "c": { "z": null, "y": [1, 2.50] }, "b": 1, "a": "x" }""")!;
        Assert.Equal("""{"a":"x","b":1,"c":{"y":[1,2.5],"z":null},"é":"ü"}""", Encoding.UTF8.GetString(CanonicalJson.Of(payload)));
        // printf '%s' '{"a":"x","b":1,"c":{"y":[1,2.5],"z":null},"é":"ü"}' | openssl dgst -sha256 -hmac k
        Assert.Equal("0bb7c5a329e0c5490f99f99a1da0abc9838d034f8002062e393743e40b2e1217", EventEnvelopes.Sign("k"u8.ToArray(), payload));
    }

    [Fact]
    public void A_value_outside_i_json_cannot_be_signed()
    {
        Assert.Throws<FormatException>(() => CanonicalJson.Of(JsonNode.Parse("""{"s":"\ud800"}""")));
        Assert.Throws<FormatException>(() => CanonicalJson.Of(JsonNode.Parse("""{"n":1e400}""")));
    }

    [Fact]
    public void A_stamp_created_envelope_carries_the_record_under_its_stamp_id_keyed_by_file_hash_and_signed()
    {
        var record = Samples.RecordFor("hello events");
        var e = Envelopes(Key).StampCreated(record, "req-1");

        Assert.Equal(record.StampId, e.EventId);
        Assert.Equal("prod.omninode-bridge.metadata.metadata-stamp-created.v1", e.Topic);
        Assert.Equal(record.FileHash, e.PartitionKey);
        var envelope = JsonNode.Parse(e.Envelope)!.AsObject();
        Assert.Equal(
            ["envelope_version", "event_id", "event_type", "event_version", "timestamp", "correlation_id", "causation_id", "source_service",
             "source_version", "source_instance", "environment", "partition_key", "payload", "metadata", "security_context"],
            envelope.Select(p => p.Key));
        Assert.Equal("1.0", (string?)envelope["envelope_version"]);
        Assert.Equal("metadata-stamp-created", (string?)envelope["event_type"]);
        Assert.Equal("req-1", (string?)envelope["correlation_id"]);
        Assert.Equal(record.OpId.ToString("D"), (string?)envelope["causation_id"]);
        Assert.Equal("silo-7", (string?)envelope["source_instance"]);
        Assert.Equal(record.Namespace, (string?)envelope["metadata"]!["namespace"]);
        Assert.Equal(record, StampRecordJson.Read(JsonSerializer.SerializeToElement(envelope["payload"])), new RecordFields());
        Assert.True(EventEnvelopes.Verify(Key, envelope["payload"]!, (string?)envelope["security_context"]!["hmac_signature"]));
        Assert.False(EventEnvelopes.Verify("another-key-entirely"u8.ToArray(), envelope["payload"]!, (string?)envelope["security_context"]!["hmac_signature"]));
    }

    [Fact]
    public void Without_a_key_envelopes_are_not_signed()
    {
        var envelope = JsonNode.Parse(Envelopes().StampCreated(Samples.RecordFor("unsigned"), null).Envelope)!;
        Assert.Null(envelope["security_context"]);
    }

    [Fact]
    public void Signed_or_not_a_stamp_created_envelope_is_compact_json_with_the_same_fields_and_payload()
    {
        // Unsigned envelopes are written straight from the record, signed ones from its tree of nodes:
        // a consumer must not be able to tell them apart but by the signature.
        var record = Samples.RecordFor("<!-- ONEX_METADATA_START --> & 'quotes' \"here\" é") with
        {
            Metadata = new() { ["zeta"] = "ünïcode ✓", ["alpha"] = "<b>" },
            IntelligenceDataJson = """{ "score" : 0.5,  "tags": ["a", "b"], "nested": {"x": null} }""",
            WorkflowId = Guid.NewGuid(),
            LogIndex = 42,
            ProcessingTimeMs = 1.25,
        };
        var unsigned = JsonNode.Parse(Envelopes().StampCreated(record, "req-2").Envelope)!.AsObject();
        var signedText = Envelopes(Key).StampCreated(record, "req-2").Envelope;
        var signed = JsonNode.Parse(signedText)!.AsObject();

        Assert.Equal(signed.Select(p => p.Key), unsigned.Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(signed["payload"], unsigned["payload"]), unsigned["payload"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(StampRecordJson.From(record), unsigned["payload"]));
        Assert.True(EventEnvelopes.Verify(Key, unsigned["payload"]!, (string?)signed["security_context"]!["hmac_signature"]));
        // Compact, escaped as the JSON library escapes: re-serialising the parsed envelope gives the same text.
        var unsignedText = Envelopes().StampCreated(record, "req-2").Envelope;
        Assert.Equal(JsonNode.Parse(unsignedText)!.ToJsonString(), unsignedText);
        Assert.Equal(JsonNode.Parse(signedText)!.ToJsonString(), signedText);
    }

    [Fact]
    public void A_workflow_has_an_event_per_move_and_one_for_its_end_with_ids_that_do_not_change_when_recorded_again()
    {
        var id = Guid.NewGuid();
        var at = DateTime.UtcNow;
        var view = new WorkflowView
        {
            WorkflowId = id,
            Namespace = "wf.events",
            State = WorkflowPhase.Failed,
            ItemCount = 2,
            CreatedAt = at,
            ErrorCode = "STORAGE_UNAVAILABLE",
            ErrorMessage = "down",
            Steps = [],
            History = [new WorkflowTransition { From = WorkflowPhase.Pending, To = WorkflowPhase.Processing, At = at },
                       new WorkflowTransition { From = WorkflowPhase.Processing, To = WorkflowPhase.Failed, At = at }],
        };

        var first = Envelopes().WorkflowMoves(view).ToList();
        var again = Envelopes().WorkflowMoves(view).ToList();

        Assert.Equal(["workflow-state-transition", "workflow-state-transition", "stamp-workflow-failed"], first.Select(e => e.EventType));
        Assert.All(first, e => Assert.Equal(id.ToString("D"), e.PartitionKey));
        Assert.Equal(first.Select(e => e.EventId), again.Select(e => e.EventId));
        Assert.Equal(3, first.Select(e => e.EventId).Distinct().Count());
        var failed = JsonNode.Parse(first[2].Envelope)!["payload"]!;
        Assert.Equal(("processing", "failed", "STORAGE_UNAVAILABLE"), ((string?)failed["from_state"], (string?)failed["to_state"], (string?)failed["error_code"]));
    }

    [Fact]
    public void Every_topic_has_the_environment_prefix_and_a_dead_letter_twin()
    {
        var topics = new EventTopics("staging");
        Assert.Equal(6, topics.All.Distinct().Count());
        Assert.All(topics.All, t => Assert.Matches(@"^staging\.omninode-bridge\.(metadata|workflow)\.[a-z-]+\.v1$", t));
        Assert.Equal("staging.omninode-bridge.workflow.stamp-workflow-failed.v1.dlq", EventTopics.DeadLetter(topics.WorkflowFailed));
    }

    /// <summary>Compares records field by field (metadata is a dictionary, compared by content).</summary>
    sealed class RecordFields : IEqualityComparer<OmniBridge.Grains.Interfaces.Stamping.StampRecord>
    {
        public bool Equals(OmniBridge.Grains.Interfaces.Stamping.StampRecord? x, OmniBridge.Grains.Interfaces.Stamping.StampRecord? y) =>
            x is not null && y is not null
            && JsonSerializer.Serialize(x with { Metadata = null! }) == JsonSerializer.Serialize(y with { Metadata = null! })
            && x.Metadata.OrderBy(m => m.Key).SequenceEqual(y.Metadata.OrderBy(m => m.Key));

        public int GetHashCode(OmniBridge.Grains.Interfaces.Stamping.StampRecord obj) => obj.StampId.GetHashCode();
    }
}
