using System.Diagnostics;

namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// The reference BLAKE3 implementation's command-line tool (Debian package b3sum), so the service's
/// hashes are checked against an implementation that is not ours. scripts/test.sh installs it.
/// </summary>
public static class B3sum
{
    public static async Task<string> OfAsync(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), "omnibridge-b3sum-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            return await OfFileAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static async Task<string> OfFileAsync(string path)
    {
        var start = new ProcessStartInfo("b3sum", ["--no-names", "--num-threads", "1", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("b3sum is not installed: run the tests with scripts/test.sh, which installs it (apt-get install b3sum)");
        }
        using (process)
        {
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
            return output.Trim();
        }
    }
}
