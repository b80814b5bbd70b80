namespace OmniBridge.Grains.Interfaces;

/// <summary>How much one request may ask for (docs/protocol.md, "Limits"). The API and the grains check the same numbers.</summary>
public static class Limits
{
    /// <summary>Items in one /batch or one workflow.</summary>
    public const int BatchItems = 1000;

    /// <summary>Records in one page of a namespace listing, and the page given when none is asked for.</summary>
    public const int PageSize = 1000;

    public const int DefaultPageSize = 50;

    // What one record may carry, whatever the size of its content (SPEC §4, "Record limits"), so that
    // every event about it fits a broker's default message size (1 MB) and an in-memory stream's block.
    // Characters are Unicode code points, as JSON Schema's maxLength counts them.

    /// <summary>Entries in a record's metadata.</summary>
    public const int MetadataEntries = 256;

    /// <summary>Characters in one metadata key.</summary>
    public const int MetadataKeyCharacters = 256;

    /// <summary>Bytes of one metadata value in UTF-8 (16 KiB).</summary>
    public const int MetadataValueBytes = 16 * 1024;

    /// <summary>Bytes of the whole metadata object as compact UTF-8 JSON, strings escaped only where JSON requires (64 KiB).</summary>
    public const int MetadataBytes = 64 * 1024;

    /// <summary>Bytes of intelligence_data as the UTF-8 JSON given (64 KiB).</summary>
    public const int IntelligenceDataBytes = 64 * 1024;

    /// <summary>Levels intelligence_data may nest: enough for any real analysis, and every record stays serialisable.</summary>
    public const int IntelligenceDataDepth = 32;

    /// <summary>Characters in file_path.</summary>
    public const int FilePathCharacters = 1024;

    /// <summary>Characters in content_type.</summary>
    public const int ContentTypeCharacters = 1024;
}
