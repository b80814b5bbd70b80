namespace OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;

/// <summary>The names the tests' providers, streams and grains share.</summary>
public static class TestStreams
{
    /// <summary>The Kafka stream provider of every test cluster (each cluster has its own broker).</summary>
    public const string Provider = "kafka";

    /// <summary>Stream namespace of <see cref="TextLine"/> events (the line codec's).</summary>
    public const string Lines = "lines";

    /// <summary>Stream namespace of <see cref="OrderPlaced"/> events (the order codec's).</summary>
    public const string Orders = "orders";
}

/// <summary>One line of text on a stream of the <see cref="TestStreams.Lines"/> namespace.</summary>
[GenerateSerializer, Immutable]
public sealed record class TextLine
{
    [Id(0)] public required string Text { get; init; }
}

/// <summary>An order of a customer, on the customer's stream of the <see cref="TestStreams.Orders"/> namespace.</summary>
[GenerateSerializer, Immutable]
public sealed record class OrderPlaced
{
    [Id(0)] public required string OrderId { get; init; }
    [Id(1)] public required decimal Amount { get; init; }
}
