using System.Text.Json;
using Orleans.Storage;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Grain state as plain JSON, without .NET type names: a state class can be renamed or moved and
/// its rows still read, and an operator can read them with SQL (<c>convert_from(PayloadBinary, 'UTF8')</c>).
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        IncludeFields = false,
        WriteIndented = false,
    };

    public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)!;
}
