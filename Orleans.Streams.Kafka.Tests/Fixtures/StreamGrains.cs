using System.Globalization;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;

/// <summary>Reads one stream of lines (the grain's key is the stream's key).</summary>
public interface ILineReaderGrain : IGrainWithStringKey
{
    /// <summary>How many events this activation received.</summary>
    Task<int> CountAsync();
}

/// <summary>Reads one customer's stream of orders.</summary>
public interface IOrderReaderGrain : IGrainWithStringKey
{
    Task<int> CountAsync();
}

/// <summary>Produces through the provider, as any grain of an application would.</summary>
public interface ILineWriterGrain : IGrainWithStringKey
{
    /// <summary>Each line to stream <paramref name="key"/> of the lines namespace, one <c>OnNextAsync</c> each, in order.</summary>
    Task WriteAsync(string key, IReadOnlyList<string> lines);
}

/// <summary>
/// Subscribed implicitly to every stream of the lines namespace. It records what it receives, and
/// refuses (throws on) any line that starts with "refuse": a consumer that cannot process an event.
/// </summary>
[ImplicitStreamSubscription(TestStreams.Lines)]
public sealed class LineReaderGrain(Deliveries deliveries) : Grain, ILineReaderGrain, IStreamSubscriptionObserver, IAsyncObserver<TextLine>
{
    int count;

    public Task<int> CountAsync() => Task.FromResult(count);

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => await handleFactory.Create<TextLine>().ResumeAsync(this);

    public Task OnNextAsync(TextLine item, StreamSequenceToken? token = null)
    {
        if (item.Text.StartsWith("refuse", StringComparison.Ordinal)) throw new InvalidOperationException("this consumer cannot process " + item.Text);
        count++;
        deliveries.Add(new Delivery(TestStreams.Lines, this.GetPrimaryKeyString(), item.Text, token?.SequenceNumber));
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

/// <summary>Subscribed implicitly to every customer's stream of orders.</summary>
[ImplicitStreamSubscription(TestStreams.Orders)]
public sealed class OrderReaderGrain(Deliveries deliveries) : Grain, IOrderReaderGrain, IStreamSubscriptionObserver, IAsyncObserver<OrderPlaced>
{
    int count;

    public Task<int> CountAsync() => Task.FromResult(count);

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => await handleFactory.Create<OrderPlaced>().ResumeAsync(this);

    public Task OnNextAsync(OrderPlaced item, StreamSequenceToken? token = null)
    {
        count++;
        deliveries.Add(new Delivery(TestStreams.Orders, this.GetPrimaryKeyString(), $"{item.OrderId}:{item.Amount.ToString(CultureInfo.InvariantCulture)}", token?.SequenceNumber));
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

public sealed class LineWriterGrain : Grain, ILineWriterGrain
{
    public async Task WriteAsync(string key, IReadOnlyList<string> lines)
    {
        var stream = this.GetStreamProvider(TestStreams.Provider).GetStream<TextLine>(StreamId.Create(TestStreams.Lines, key));
        foreach (var line in lines) await stream.OnNextAsync(new TextLine { Text = line });
    }
}
