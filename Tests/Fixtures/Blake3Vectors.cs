using System.Text.Json;

namespace OmniBridge.Tests.Fixtures;

/// <summary>The official BLAKE3 test vectors (Fixtures/Blake3/test_vectors.json): input byte i is i % 251.</summary>
public static class Blake3Vectors
{
    public static IEnumerable<object[]> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Blake3", "test_vectors.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            // Each case is an extended output; the default 32-byte hash is its first 64 hex characters.
            yield return [c.GetProperty("input_len").GetInt32(), c.GetProperty("hash").GetString()![..64]];
        }
    }

    public static byte[] Input(int length) => Enumerable.Range(0, length).Select(i => (byte)(i % 251)).ToArray();
}
