using System.Text;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Grains.Stamping;

public sealed class ContentHashTests
{
    public static IEnumerable<object[]> Vectors() => Blake3Vectors.Cases();

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Hashes_every_official_vector(int inputLength, string expected)
    {
        Assert.Equal(expected, ContentHash.Of(Blake3Vectors.Input(inputLength)));
    }

    [Fact]
    public void The_empty_input_has_the_well_known_digest()
    {
        Assert.Equal("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", ContentHash.OfUtf8(""));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(262_143)]       // just under one encoding block
    [InlineData(262_144)]
    [InlineData(700_001)]       // several blocks, ending mid-block
    public void Text_hashes_as_its_utf8_bytes_at_any_length(int length)
    {
        // Multi-byte characters and surrogate pairs land on block boundaries somewhere in these lengths.
        var alphabet = "a€😀ß\n";
        var text = new StringBuilder(length);
        for (var i = 0; text.Length < length; i++) text.Append(alphabet[i % alphabet.Length]);
        if (char.IsHighSurrogate(text[^1])) text.Length--;
        var s = text.ToString();

        Assert.Equal(ContentHash.Of(Encoding.UTF8.GetBytes(s)), ContentHash.OfUtf8(s));
    }

    [Fact]
    public void Digests_are_64_lowercase_hex_characters()
    {
        var hash = ContentHash.OfUtf8("Hello World");
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal("41f8394111eb713a22165c46c90ab8f0fd9399c92028fd6d288944b23ff5bf76", hash);
    }
}
