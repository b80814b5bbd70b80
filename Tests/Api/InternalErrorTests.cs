using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

/// <summary>A service whose stamp store fails in a way nobody planned for.</summary>
public sealed class BrokenStoreService : SiloApp
{
    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IStampStore, BrokenStore>();

    sealed class BrokenStore : IStampStore
    {
        static InvalidOperationException Boom() => new InvalidOperationException("secret internal detail: connection string Host=db;Password=hunter2");
        public Task<StoredStamp> AddAsync(StampRecord record, StampOutboxEvents? events = null, CancellationToken cancellationToken = default) => throw Boom();
        public Task<IReadOnlyList<StoredStamp>> AddBatchAsync(IReadOnlyList<StampRecord> records, StampOutboxEvents? events = null, CancellationToken cancellationToken = default) => throw Boom();
        public Task<StampRecord?> FindAsync(string namespaceName, string fileHash, CancellationToken cancellationToken = default) => throw Boom();
        public Task<StampPage> ListAsync(string namespaceName, int limit, StampCursor? after, CancellationToken cancellationToken = default) => throw Boom();
    }
}

public sealed class InternalErrorTests(BrokenStoreService service) : IClassFixture<BrokenStoreService>
{
    [Fact]
    public async Task An_unexpected_failure_is_500_INTERNAL_ERROR_with_a_request_id_and_no_internals()
    {
        var reply = await service.Http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = "x" });

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal("INTERNAL_ERROR", reply.ErrorCode);
        var requestId = reply.Body.GetProperty("metadata").GetProperty("request_id").GetString();
        Assert.Contains(requestId!, reply.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_that_do_not_touch_the_store_still_work()
    {
        var reply = await service.Http.PostJsonAsync(ApiCalls.Base + "/validate", new { content = "x" });
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }
}
