namespace OmniBridge.Api.Errors;

/// <summary>
/// Recognises an exception as an outage of a dependency (the database, the broker). Adapters
/// register one, so the API answers 503 DEPENDENCY_UNAVAILABLE without knowing their exception types.
/// </summary>
public interface IOutageClassifier
{
    /// <summary>The dependency's name (postgres, kafka) when <paramref name="failure"/> means it is unavailable; else null.</summary>
    string? DependencyOf(Exception failure);
}
