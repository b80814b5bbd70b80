using System.Globalization;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Checks text against the O.N.E. v0.1 stamp protocol by parsing its stamps for real (docs/protocol.md, "The REST API",
/// /validate-protocol). Basic: stamps parse and their hashes match. Strict: also every field
/// present and well-formed.
/// </summary>
public static class ProtocolCompliance
{
    public const string ProtocolVersion = "1.0";

    /// <summary>At most this many issues are listed; the verdict covers every stamp.</summary>
    public const int MaxReportedIssues = 100;

    public static ProtocolValidationReport Check(string text, ProtocolValidationLevel level)
    {
        var read = StampedText.Read(text);
        var current = ContentHash.OfUtf8(read.Canonical);
        var issues = new List<string>();
        var issueCount = 0;
        var recommendations = new SortedSet<string>(StringComparer.Ordinal);
        var wellFormedMatches = 0;
        var found = 0;

        foreach (var stamp in read.Stamps)
        {
            found++;
            var label = $"stamp {found} ({stamp.Form.Wire()})";
            var problems = HashProblems(stamp, current).ToList();
            if (problems.Count > 0) recommendations.Add("Restamp the content: a stamp's hash does not match the content as it is now.");
            if (level == ProtocolValidationLevel.Strict)
            {
                var fieldProblems = FieldProblems(stamp).ToList();
                if (fieldProblems.Count > 0) recommendations.Add("Restamp the content with this service to write every O.N.E. v0.1 field in its proper form.");
                problems.AddRange(fieldProblems);
            }
            if (problems.Count == 0) wellFormedMatches++;
            issueCount += problems.Count;
            issues.AddRange(problems.Take(MaxReportedIssues - issues.Count).Select(p => $"{label}: {p}"));
        }

        if (found == 0)
        {
            issues.Add("no O.N.E. v0.1 stamp found");
            issueCount++;
            recommendations.Add("Stamp the content with POST /api/v1/metadata-stamping/stamp.");
        }
        if (issueCount > issues.Count) issues.Add($"... and {issueCount - issues.Count} more issues");

        var compliance = wellFormedMatches == 0 ? ComplianceLevel.None
            : issueCount == 0 ? ComplianceLevel.Full
            : ComplianceLevel.Partial;
        return new ProtocolValidationReport
        {
            IsValid = compliance == ComplianceLevel.Full,
            ProtocolVersion = ProtocolVersion,
            ComplianceLevel = compliance,
            Issues = issues,
            Recommendations = [.. recommendations],
            StampsFound = found,
        };
    }

    static IEnumerable<string> HashProblems(FoundStamp stamp, string current)
    {
        if (string.IsNullOrEmpty(stamp.Hash))
        {
            yield return "no hash";
            yield break;
        }
        if (!FileHash.IsValid(stamp.Hash)) yield return $"hash '{stamp.Hash}' is not 64 lowercase hex characters";
        else if (stamp.Hash != current) yield return $"hash {stamp.Hash} does not match the content's hash {current}";
        if (stamp.HasIntegrity && !string.Equals(stamp.IntegrityHash, stamp.Hash, StringComparison.Ordinal))
            yield return "integrity hash differs from the stamp's hash";
    }

    static IEnumerable<string> FieldProblems(FoundStamp stamp)
    {
        if (!Guid.TryParseExact(stamp.Uid, "D", out _)) yield return $"uid '{stamp.Uid}' is not a UUID";
        if (stamp.Timestamp is null) yield return "no timestamp";
        else if (!StampTimestamp.TryParse(stamp.Timestamp, out _)) yield return $"timestamp '{stamp.Timestamp}' is not an ISO-8601 UTC instant";
        foreach (var problem in stamp.ParseProblems) yield return problem;

        if (stamp.Form == StampType.Lightweight)
        {
            foreach (var key in stamp.Fields.Keys.Where(k => k is not ("author" or "v"))) yield return $"unknown field '{key}'";
            if (stamp.Fields.TryGetValue("v", out var v) && !int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                yield return $"v '{v}' is not a whole number";
            if (stamp.Fields.TryGetValue("author", out var author) && author.Length == 0) yield return "author is empty";
            yield break;
        }

        if (!stamp.Fields.TryGetValue("protocol_version", out var protocol)) yield return "no protocol_version";
        else if (protocol != ProtocolVersion) yield return $"protocol_version '{protocol}' is not {ProtocolVersion}";
        if (stamp.Fields.TryGetValue("file_size", out var size) && !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            yield return $"file_size '{size}' is not a whole number of bytes";
        // The original wrote Python's None for unknown values; that still counts as well-formed.
        if (stamp.Fields.TryGetValue("content_type", out var type) && type != "None" && StampFields.ContentTypeProblem(type) is not null)
            yield return $"content_type '{type}' is not a media type";
        if (!stamp.HasIntegrity) yield return "no integrity section";
        else
        {
            if (stamp.IntegrityAlgorithm != "BLAKE3") yield return $"integrity algorithm '{stamp.IntegrityAlgorithm}' is not BLAKE3";
            if (stamp.IntegrityHash is null) yield return "integrity section has no hash";
        }
    }
}
