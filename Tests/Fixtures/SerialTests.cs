namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// Tests that run alone, after the parallel ones: those that time what a user waits, where the
/// rest of the suite on the same cores would be timed with them. Keep it short: every test here
/// adds its whole duration to the run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTests
{
    public const string Name = "serial";
}
