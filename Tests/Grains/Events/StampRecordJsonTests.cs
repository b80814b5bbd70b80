using System.Text.Json;
using OmniBridge.Grains.Events;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Grains.Events;

/// <summary>Events carry a record's sha256 and log index like the REST answers (docs/protocol.md, "Records and idempotency").</summary>
public sealed class StampRecordJsonTests
{
    [Fact]
    public void The_stamp_created_payload_carries_sha256_and_log_index_and_reads_back()
    {
        var record = Samples.Record(new string('b', 64)) with { Sha256 = new string('5', 64), LogIndex = 7 };

        var payload = StampRecordJson.From(record);
        var read = StampRecordJson.Read(JsonDocument.Parse(payload.ToJsonString()).RootElement);

        Assert.Equal(new string('5', 64), payload["sha256"]!.GetValue<string>());
        Assert.Equal(7, payload["log_index"]!.GetValue<long>());
        Assert.Equal(record.Sha256, read.Sha256);
        Assert.Equal(record.LogIndex, read.LogIndex);
    }

    [Fact]
    public void A_payload_from_before_the_log_reads_with_null_sha256_and_log_index()
    {
        var payload = StampRecordJson.From(Samples.Record(new string('c', 64)));
        payload.Remove("sha256");
        payload.Remove("log_index");

        var read = StampRecordJson.Read(JsonDocument.Parse(payload.ToJsonString()).RootElement);

        Assert.Null(read.Sha256);
        Assert.Null(read.LogIndex);
    }
}
