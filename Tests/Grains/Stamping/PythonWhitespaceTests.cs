using OmniBridge.Grains.Stamping;

namespace OmniBridge.Tests.Grains.Stamping;

public sealed class PythonWhitespaceTests
{
    // docs/protocol.md, "Canonical content": exactly the characters Python's str.strip() removes.
    static readonly HashSet<char> SpecSet =
    [
        .. Enumerable.Range(0x09, 5).Select(i => (char)i),
        .. Enumerable.Range(0x1C, 5).Select(i => (char)i),   // U+001C..U+001F and U+0020
        '\u0085', '\u00A0', '\u1680',
        .. Enumerable.Range(0x2000, 11).Select(i => (char)i),
        '\u2028', '\u2029', '\u202F', '\u205F', '\u3000',
    ];

    [Fact]
    public void Agrees_with_the_spec_on_every_UTF16_code_unit()
    {
        var disagreements = Enumerable.Range(0, 0x10000)
            .Select(i => (char)i)
            .Where(c => PythonWhitespace.Is(c) != SpecSet.Contains(c))
            .Select(c => $"U+{(int)c:X4}")
            .ToList();
        Assert.Empty(disagreements);
    }

    [Theory]
    [InlineData("\u3000 x \u001C\u0085", "x")]
    [InlineData("\t\r\n x y \u2029", "x y")]
    [InlineData("\u200Bx\u200B", "\u200Bx\u200B")]    // zero-width space is not white space to Python
    [InlineData("\uFEFFx", "\uFEFFx")]                // nor is the byte order mark
    [InlineData("   ", "")]
    public void Strip_removes_only_python_white_space_from_the_ends(string input, string expected)
    {
        Assert.Equal(expected, PythonWhitespace.Strip(input).ToString());
    }
}
