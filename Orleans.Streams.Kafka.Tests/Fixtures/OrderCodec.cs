using System.Text.Json;
using Confluent.Kafka;

namespace OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;

/// <summary>JSON orders <c>{"customer":..,"order":..,"amount":..}</c>: one <see cref="OrderPlaced"/> on the customer's stream.</summary>
public sealed class OrderCodec : IKafkaEventCodec
{
    public (StreamId Stream, List<object> Events) Decode(Message<byte[], byte[]> message)
    {
        try
        {
            using var order = JsonDocument.Parse(message.Value);
            var root = order.RootElement;
            return (StreamId.Create(TestStreams.Orders, root.GetProperty("customer").GetString()!),
                [new OrderPlaced { OrderId = root.GetProperty("order").GetString()!, Amount = root.GetProperty("amount").GetDecimal() }]);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"not an order: {e.Message}", e);
        }
    }

    public static string Json(string customer, string order, decimal amount) => JsonSerializer.Serialize(new { customer, order, amount });
}
