using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>docs/architecture.md, "Configuration": a setting that is present but invalid stops start-up with one clear line naming it.</summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("SERVICE_PORT", "eighty")]
    [InlineData("SERVICE_PORT", "70000")]
    [InlineData("MAX_CONTENT_BYTES", "-1")]
    [InlineData("DEFAULT_NAMESPACE", "Not A Namespace")]
    [InlineData("LOG_LEVEL", "LOUD")]
    [InlineData("ADVERTISED_IP", "not-an-ip")]
    [InlineData("PROTOCOL_VERSION", "2.0")]
    [InlineData("CODEGEN_DLQ_ALERT_THRESHOLD", "0")]
    [InlineData("CODEGEN_DLQ_WINDOW_SECONDS", "soon")]
    [InlineData("CODEGEN_DLQ_ALERT_COOLDOWN_SECONDS", "-5")]
    [InlineData("CODEGEN_DLQ_WEBHOOK_URL", "ftp://alerts.example")]
    public async Task An_invalid_setting_stops_start_up_with_one_line_naming_it(string name, string value)
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string> { [name] = value });
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(name, line, StringComparison.Ordinal);
        Assert.Contains(value, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POSTGRES_PORT", "five-four-three-two")]
    [InlineData("DATABASE_POOL_MAX_SIZE", "0")]
    public async Task An_invalid_database_setting_stops_start_up_too(string name, string value)
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["POSTGRES_HOST"] = "127.0.0.1", [name] = value });
        Assert.NotEqual(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = Assert.Single(service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(name, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KAFKA_TOPIC_PARTITIONS", "0")]
    [InlineData("KAFKA_START_POSITION", "middle")]
    [InlineData("KAFKA_BOOTSTRAP_SERVERS", "no-port-here")]
    [InlineData("KAFKA_SECURITY_PROTOCOL", "CARRIER_PIGEON")]
    [InlineData("OUTBOX_RETENTION_HOURS", "0")]
    [InlineData("KAFKA_PERMANENT_FAILURE_ATTEMPTS", "0")]
    public async Task An_invalid_kafka_setting_stops_start_up_too(string name, string value)
    {
        var settings = new Dictionary<string, string> { ["POSTGRES_HOST"] = "127.0.0.1", ["KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092", [name] = value };
        await using var service = ServiceProcess.Start(settings);
        Assert.NotEqual(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = Assert.Single(service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(name, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Security__ApiKeys__0__KeySha256", "the-key-itself-not-a-digest")]
    [InlineData("Security__ApiKeys__0__Namespaces__0", "Not A Namespace")]
    [InlineData("Security__ApiKeys__0__Scopes__0", "root")]
    [InlineData("Security__ApiKeys__0__RequestsPerMinute", "lots")]
    public async Task An_invalid_api_key_entry_stops_start_up_naming_it_and_never_echoes_a_key(string name, string value)
    {
        var settings = new Dictionary<string, string>
        {
            ["Security__ApiKeys__0__Name"] = "ops",
            ["Security__ApiKeys__0__KeySha256"] = new string('a', 64),
            ["Security__ApiKeys__0__Namespaces__0"] = "team.*",
            ["Security__ApiKeys__0__Scopes__0"] = "read",
            [name] = value,
        };
        await using var service = ServiceProcess.Start(settings);
        Assert.NotEqual(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = Assert.Single(service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(name.Split("__0__")[1].Split("__")[0], line, StringComparison.Ordinal);
        Assert.DoesNotContain("the-key-itself", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Started_from_another_folder_the_service_keeps_its_own_settings_and_logs_no_line_per_request()
    {
        // As `dotnet /opt/omnibridge/OmniBridge.Silo.dll` from a shell anywhere: appsettings.json is
        // read from beside the program, not from the current folder (which once made every request
        // write a dozen Information lines of ASP.NET Core's to the console).
        var elsewhere = Directory.CreateTempSubdirectory("omnibridge-cwd-");
        try
        {
            await using var service = ServiceProcess.Start(new Dictionary<string, string>(), workingDirectory: elsewhere.FullName);
            await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            for (var i = 0; i < 3; i++) await service.Http.StampAsync($"from elsewhere {i}", "cwd.logs");
            Assert.DoesNotContain("Request starting", service.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Microsoft.AspNetCore.Hosting.Diagnostics", service.Output, StringComparison.Ordinal);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Kafka_without_postgres_is_refused_since_the_outbox_lives_in_postgres()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092" });
        Assert.NotEqual(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = Assert.Single(service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("KAFKA_BOOTSTRAP_SERVERS", line, StringComparison.Ordinal);
        Assert.Contains("POSTGRES_HOST", line, StringComparison.Ordinal);
    }
}
