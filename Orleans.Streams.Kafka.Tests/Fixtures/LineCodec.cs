using System.Text;
using Confluent.Kafka;

namespace OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;

/// <summary>
/// Messages <c>key|line</c> (more lines after newlines): the lines are <see cref="TextLine"/> events
/// on stream <c>key</c> of the <see cref="TestStreams.Lines"/> namespace. A message without a
/// <c>|</c> is poison. It writes the same form.
/// </summary>
public sealed class LineCodec : IKafkaEventCodec, IKafkaEventEncoder
{
    public (StreamId Stream, List<object> Events) Decode(Message<byte[], byte[]> message)
    {
        var text = Encoding.UTF8.GetString(message.Value ?? []);
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0) throw new FormatException("no 'key|' before the text");
        return (StreamId.Create(TestStreams.Lines, text[..bar]), [.. text[(bar + 1)..].Split('\n').Select(line => new TextLine { Text = line })]);
    }

    public Message<byte[], byte[]> Encode(StreamId stream, IReadOnlyList<object> events)
    {
        var key = stream.GetKeyAsString();
        var lines = events.Select(e => e is TextLine line ? line.Text : throw new ArgumentException($"the line codec writes text lines, not {e.GetType().Name}", nameof(events)));
        return new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(key + "|" + string.Join('\n', lines)) };
    }
}
