namespace OmniBridge.Tests.Fixtures;

/// <summary>The repository the tests were built from, found from the test assembly's folder.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OmniBridge.Orleans.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("OmniBridge.Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
