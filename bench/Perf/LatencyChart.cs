using System.Globalization;
using System.Text;

namespace OmniBridge.Bench.Perf;

/// <summary>Latency percentiles of one scenario: the service and the bare app in the same run.</summary>
public sealed record class LatencyBars(string Scenario, LoadResult Service, LoadResult Baseline);

/// <summary>Writes the suite's latency chart: p50, p95 and p99 per scenario, the service beside the bare app, as SVG.</summary>
public static class LatencyChart
{
    public static void Write(string path, IReadOnlyList<LatencyBars> scenarios)
    {
        const int width = 900, height = 420, left = 70, bottom = 60, top = 50, groupGap = 40;
        var max = scenarios.SelectMany(s => new[] { s.Service.P99Ms, s.Baseline.P99Ms }).DefaultIfEmpty(1).Max() * 1.15;
        var plotHeight = height - top - bottom;
        var groupWidth = (width - left - 20 - groupGap * (scenarios.Count - 1)) / Math.Max(1, scenarios.Count);
        var barWidth = groupWidth / 6.0;
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        double Y(double ms) => top + plotHeight - ms / max * plotHeight;
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine("""<rect width="100%" height="100%" fill="white"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{width / 2}" y="24" text-anchor="middle" font-size="15">Latency percentiles (ms): service (dark) against the bare ASP.NET Core app (light), same run</text>""");
        for (var i = 0; i <= 5; i++)
        {
            var ms = max / 5 * i;
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{left}" x2="{width - 20}" y1="{F(Y(ms))}" y2="{F(Y(ms))}" stroke="#ddd"/><text x="{left - 8}" y="{F(Y(ms) + 4)}" text-anchor="end">{F(ms)}</text>""");
        }
        for (var g = 0; g < scenarios.Count; g++)
        {
            var s = scenarios[g];
            var x0 = left + g * (groupWidth + groupGap);
            var values = new[] { ("p50", s.Service.P50Ms, s.Baseline.P50Ms), ("p95", s.Service.P95Ms, s.Baseline.P95Ms), ("p99", s.Service.P99Ms, s.Baseline.P99Ms) };
            for (var p = 0; p < values.Length; p++)
            {
                var (name, service, baseline) = values[p];
                var x = x0 + p * 2 * barWidth;
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{F(x)}" y="{F(Y(service))}" width="{F(barWidth * 0.9)}" height="{F(top + plotHeight - Y(service))}" fill="#1f4e79"><title>service {name} {F(service)} ms</title></rect>""");
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{F(x + barWidth)}" y="{F(Y(baseline))}" width="{F(barWidth * 0.9)}" height="{F(top + plotHeight - Y(baseline))}" fill="#9dc3e6"><title>bare app {name} {F(baseline)} ms</title></rect>""");
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{F(x + barWidth)}" y="{top + plotHeight + 16}" text-anchor="middle">{name}</text>""");
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{F(x + barWidth * 0.45)}" y="{F(Y(service) - 4)}" text-anchor="middle" font-size="10">{F(service)}</text>""");
            }
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{F(x0 + groupWidth / 2.0)}" y="{top + plotHeight + 36}" text-anchor="middle" font-weight="bold">{System.Security.SecurityElement.Escape(s.Scenario)}</text>""");
        }
        svg.AppendLine("</svg>");
        File.WriteAllText(path, svg.ToString());
    }
}
