using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using OmniBridge.Grains.Events;
using OmniBridge.Orleans.Streams.Kafka;
using OmniBridge.Silo.Kafka;
using OmniBridge.Silo.Postgres;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace OmniBridge.Silo.Outbox;

/// <summary>
/// Events the broker keeps refusing for themselves (docs/protocol.md, "Events": too large, malformed)
/// go to their topic's dead-letter topic instead of waiting in the outbox for ever. The message is the
/// one the relay sent, with the headers the Kafka stream library gives its own dead letters
/// (<see cref="DeadLetterHeaders.Error"/> and <see cref="DeadLetterHeaders.SourceTopic"/>; no source
/// partition or offset, since the event never reached its topic). When the dead-letter topic refuses
/// the value too (it is as large for it as for its topic), the message goes with an empty value and
/// <see cref="ValueOmittedBytes"/> says how large it was: the envelope stays readable in
/// event_outbox (its row has dead_lettered_at) until OUTBOX_RETENTION_HOURS.
/// </summary>
public sealed partial class OutboxDeadLetters(KafkaProducer producer, IMeterFactory meters, ILogger<OutboxDeadLetters> log)
{
    /// <summary>Header of a dead letter sent without its value: the value's size in bytes (decimal).</summary>
    public const string ValueOmittedBytes = "value_omitted_bytes";

    readonly Counter<long> written = meters.Create(StoreGauges.MeterName).CreateCounter<long>("omnibridge.outbox.dead_letters", "{event}",
        "Events the broker refused for themselves KAFKA_PERMANENT_FAILURE_ATTEMPTS times, written to their dead-letter topic and removed from the outbox");

    /// <summary>
    /// Whether a broker's (or the client's own) answer refuses the event for what it is, so that
    /// sending it again as it is cannot succeed: too large, malformed, a timestamp or format the
    /// topic does not take. Everything else (no broker, timeouts, authorization, a missing topic)
    /// is about the path, not the event, and never sends it aside.
    /// </summary>
    public static bool RefusesForItself(ErrorCode code) => code is
        ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge or ErrorCode.InvalidMsgSize or ErrorCode.InvalidMsg or ErrorCode.InvalidRecord
        or ErrorCode.InvalidTimestamp or ErrorCode.UnsupportedForMessageFormat or ErrorCode.Local_BadMsg
        or ErrorCode.Local_KeySerialization or ErrorCode.Local_ValueSerialization;

    /// <summary>Writes <paramref name="pending"/> to its dead-letter topic; null once the broker has it, else why not.</summary>
    public async Task<string?> SendAsync(PendingEvent pending, string error)
    {
        var topic = EventTopics.DeadLetter(pending.Topic);
        var message = OutboxMessage.Of(pending, span: null);
        message.Headers.Add(DeadLetterHeaders.Error, Encoding.UTF8.GetBytes(error));
        message.Headers.Add(DeadLetterHeaders.SourceTopic, Encoding.UTF8.GetBytes(pending.Topic));
        var refusal = await TrySendAsync(topic, message);
        if (refusal is { } tooLarge && RefusesForItself(tooLarge.Code))
        {
            message.Headers.Add(ValueOmittedBytes, Encoding.UTF8.GetBytes(message.Value.Length.ToString(CultureInfo.InvariantCulture)));
            message.Value = [];
            refusal = await TrySendAsync(topic, message);
        }
        if (refusal is not null) return $"{refusal.Code}: {refusal.Reason}";
        written.Add(1, new KeyValuePair<string, object?>("topic", pending.Topic));
        LogDeadLettered(log, pending.EventId, pending.Topic, topic, error);
        return null;
    }

    async Task<Error?> TrySendAsync(string topic, Message<byte[], byte[]> message)
    {
        try
        {
            await producer.ProduceAsync(topic, message);
            return null;
        }
        catch (KafkaException e)
        {
            return e.Error;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox event {EventId} for {Topic} was refused for itself too often ({Error}); it went to {DeadLetterTopic} and left the outbox")]
    static partial void LogDeadLettered(ILogger logger, Guid eventId, string topic, string deadLetterTopic, string error);
}
