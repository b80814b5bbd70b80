namespace OmniBridge.Silo.Outbox;

/// <summary>How the outbox relay paces itself.</summary>
public sealed class OutboxRelayOptions
{
    /// <summary>Most events claimed and sent at once.</summary>
    public int BatchSize { get; set; } = 2000;

    /// <summary>Most claims at the broker at once: the next is claimed while the ones before are sent.</summary>
    public int ClaimsInFlight { get; set; } = 4;

    /// <summary>How long the relay waits when the outbox is empty before it looks again.</summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>After a batch no broker took, the relay waits 1 s, then twice as long each time, up to this.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Times the broker may refuse an event for itself (too large, malformed) before it goes to its
    /// topic's dead-letter topic and leaves the outbox (KAFKA_PERMANENT_FAILURE_ATTEMPTS).
    /// </summary>
    public int PermanentFailureAttempts { get; set; } = 5;

    /// <summary>How long the ids of written events (which refuse a second write) and dead-lettered rows are kept (OUTBOX_RETENTION_HOURS).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);
}
