namespace OmniBridge.Silo.Outbox;

/// <summary>How the relay's last attempt went, for the health probe: a broker can answer while sends still fail.</summary>
public sealed class RelayStatus
{
    volatile string? failure;

    /// <summary>Why the last batch did not go, or null when it did (or nothing was sent yet).</summary>
    public string? Failure => failure;

    public void Sent() => failure = null;

    public void Failed(string reason) => failure = reason;
}
