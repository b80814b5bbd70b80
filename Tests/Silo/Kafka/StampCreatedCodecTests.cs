using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Silo.Kafka;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>What the reducers' stream accepts from the stamp-created topic, and what it refuses as poison.</summary>
public sealed class StampCreatedCodecTests
{
    static readonly byte[] Key = Encoding.UTF8.GetBytes("codec-signing-key-123");
    static readonly IOptions<EventOptions> Signed = Options.Create(new EventOptions { Environment = "dev", SigningKey = Key });

    static Message<byte[], byte[]> Message(string value) => new() { Value = Encoding.UTF8.GetBytes(value) };

    [Fact]
    public void An_envelope_becomes_a_stamp_created_event_on_its_namespace_stream()
    {
        var record = Samples.Record(new string('a', 64), ns: "codec.ns");
        var envelope = new EventEnvelopes(Signed, TimeProvider.System).StampCreated(record, null);

        var (stream, events) = new StampCreatedCodec(Signed).Decode(Message(envelope.Envelope));

        Assert.Equal(StampStreams.StampCreated, stream.GetNamespace());
        Assert.Equal("codec.ns", stream.GetKeyAsString());
        Assert.Equal(record.StampId, Assert.IsType<StampCreated>(Assert.Single(events)).EventId);
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("[1,2,3]", "not an OnexEnvelopeV1")]
    [InlineData("""{"event_type":"metadata-batch-processed","payload":{}}""", "event_type")]
    [InlineData("""{"event_type":"metadata-stamp-created"}""", "no payload")]
    [InlineData("""{"event_type":"metadata-stamp-created","event_type":"x","payload":{}}""", "cannot be read")]
    [InlineData("""{"event_type":"metadata-stamp-created","payload":{"stamp_id":"0198c3a0-0000-7000-8000-000000000000"}}""", "not a stamp record")]
    public void A_message_that_is_not_a_stamp_created_envelope_is_poison(string value, string why)
    {
        var error = Assert.Throws<FormatException>(() => new StampCreatedCodec(Options.Create(new EventOptions())).Decode(Message(value)));
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("namespace", "\"../../etc\"")]
    [InlineData("stamp_type", "\"5\"")]
    [InlineData("file_hash", "\"ABC\"")]
    public void A_payload_with_a_field_the_service_would_never_write_is_poison(string field, string json)
    {
        var envelope = JsonNode.Parse(new EventEnvelopes(Options.Create(new EventOptions()), TimeProvider.System).StampCreated(Samples.RecordFor("strict"), null).Envelope)!;
        envelope["payload"]![field] = JsonNode.Parse(json);
        Assert.Throws<FormatException>(() => new StampCreatedCodec(Options.Create(new EventOptions())).Decode(Message(envelope.ToJsonString())));
    }

    [Fact]
    public void With_a_signing_key_a_tampered_or_unsigned_payload_is_poison()
    {
        var envelope = JsonNode.Parse(new EventEnvelopes(Signed, TimeProvider.System).StampCreated(Samples.RecordFor("signed"), null).Envelope)!;
        envelope["payload"]!["file_size"] = 999;
        Assert.Contains("signature", Assert.Throws<FormatException>(() => new StampCreatedCodec(Signed).Decode(Message(envelope.ToJsonString()))).Message, StringComparison.Ordinal);

        var unsigned = new EventEnvelopes(Options.Create(new EventOptions()), TimeProvider.System).StampCreated(Samples.RecordFor("unsigned"), null);
        Assert.Throws<FormatException>(() => new StampCreatedCodec(Signed).Decode(Message(unsigned.Envelope)));
    }
}
