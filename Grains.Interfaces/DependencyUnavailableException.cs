namespace OmniBridge.Grains.Interfaces;

/// <summary>
/// Something the request needs (the database, the broker) cannot be reached right now. Nothing
/// was changed; the caller may retry. The REST API answers 503 DEPENDENCY_UNAVAILABLE.
/// </summary>
[GenerateSerializer]
public sealed class DependencyUnavailableException : Exception
{
    public DependencyUnavailableException() { }

    public DependencyUnavailableException(string message) : base(message) { }

    public DependencyUnavailableException(string message, Exception inner) : base(message, inner) { }

    public DependencyUnavailableException(string dependency, string message) : base(message) => Dependency = dependency;

    /// <summary>postgres or kafka.</summary>
    [Id(0)] public string? Dependency { get; init; }
}
