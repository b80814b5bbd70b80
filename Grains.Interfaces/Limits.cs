namespace OmniBridge.Grains.Interfaces;

/// <summary>How much one request may ask for (docs/protocol.md). The API and the grains check the same numbers.</summary>
public static class Limits
{
    /// <summary>Items in one /batch or one workflow.</summary>
    public const int BatchItems = 1000;

    /// <summary>Records in one page of a namespace listing, and the page given when none is asked for.</summary>
    public const int PageSize = 1000;

    public const int DefaultPageSize = 50;
}
