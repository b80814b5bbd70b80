namespace OmniBridge.Silo.Hosting;

/// <summary>
/// The silo cannot start and the operator can say why in one line (a changed migration, an
/// unreachable database). Program prints the message alone and exits non-zero.
/// </summary>
public class StartupRefusedException : Exception
{
    public StartupRefusedException() { }

    public StartupRefusedException(string message) : base(message) { }

    public StartupRefusedException(string message, Exception inner) : base(message, inner) { }
}
