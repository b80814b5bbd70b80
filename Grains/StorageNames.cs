namespace OmniBridge.Grains;

/// <summary>Names of the grain storage providers the grains use; the silo binds them to memory or PostgreSQL.</summary>
public static class StorageNames
{
    public const string Default = "omnibridge";
}
