using OmniBridge.Silo.Hosting;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// A script recorded as applied has changed since. The silo refuses to start: applied scripts are
/// history, and a change belongs in a new numbered script.
/// </summary>
public sealed class SchemaDriftException : StartupRefusedException
{
    public SchemaDriftException() { }

    public SchemaDriftException(string message) : base(message) { }

    public SchemaDriftException(string message, Exception inner) : base(message, inner) { }
}
