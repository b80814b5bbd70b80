using System.Text.Json;
using System.Text.Json.Serialization;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Requests;

/// <summary>Enumerations in JSON bodies, written and read by <see cref="WireNames"/> like everywhere else.</summary>
public sealed class WireEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && WireNames.TryParse<T>(reader.GetString(), out var value) ? value
                : throw new JsonException($"expected one of {string.Join(", ", WireNames.All<T>())}");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Wire());
    }
}
