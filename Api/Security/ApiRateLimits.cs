using System.Globalization;
using System.Threading.RateLimiting;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Security;

/// <summary>
/// Per-key rate limits (docs/protocol.md, "Security") with ASP.NET Core's rate limiter: each key may make its
/// RequestsPerMinute in any minute (a fixed window per key); beyond, 429 RATE_LIMITED with
/// Retry-After. Keys without a rate, and the open service, are not limited.
/// </summary>
public static partial class ApiRateLimits
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limited {KeyName}, request {RequestId}")]
    static partial void LogLimited(ILogger logger, string keyName, string requestId);

    public static IServiceCollection AddOmniBridgeRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Caller() is { RequestsPerMinute: > 0 } key
                    ? RateLimitPartition.GetFixedWindowLimiter(key.Name, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = key.RequestsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                LogLimited(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiRateLimits)), http.Caller()?.Name ?? "", http.TraceIdentifier);
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(60);
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                http.Response.Headers[RequestIdMiddleware.Header] = http.TraceIdentifier;
                return new ValueTask(Unified.WriteErrorAsync(http, StatusCodes.Status429TooManyRequests,
                    new ApiError(ErrorCodes.RateLimited, null, $"the API key '{http.Caller()?.Name}' made more than {http.Caller()?.RequestsPerMinute} requests this minute")));
            };
        });
}
