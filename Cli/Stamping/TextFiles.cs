using System.Text;
using System.Text.Unicode;

namespace OmniBridge.Cli.Stamping;

/// <summary>Which files are text to stamp in place: valid UTF-8 with no NUL byte (docs/cli.md, "--in-place").</summary>
public static class TextFiles
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text, or null when the bytes are not text.</summary>
    public static string? TryRead(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Contains((byte)0) || !Utf8.IsValid(bytes)) return null;
        return Strict.GetString(bytes);
    }

    public static byte[] Encode(string text) => Strict.GetBytes(text);
}
