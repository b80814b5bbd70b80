using System.Text.RegularExpressions;
using OmniBridge.Grains.Events;
using OmniBridge.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>
/// compose.yaml runs where a Docker engine exists, which is not here: it is parsed and held to what
/// the service needs (docs/architecture.md, "Configuration", §7), so that it cannot drift from the code.
/// </summary>
public sealed partial class ComposeFileTests
{
    static readonly YamlMappingNode Compose = Load();

    static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Repository.Root, "compose.yaml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    static YamlMappingNode Service(string name) => (YamlMappingNode)((YamlMappingNode)Compose["services"])[name];

    static Dictionary<string, string> Environment(string service) =>
        ((YamlMappingNode)Service(service)["environment"]).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString());

    static string Command(string service) => string.Join(" ", ((YamlSequenceNode)Service(service)["command"]).Children.Select(c => c.ToString()));

    [Fact]
    public void The_silo_runs_on_postgres_and_on_a_broker_that_advertises_the_address_it_is_given()
    {
        var silo = Environment("silo");
        Assert.Equal("postgres", silo["POSTGRES_HOST"]);
        var bootstrap = silo["KAFKA_BOOTSTRAP_SERVERS"];
        var broker = bootstrap.Split(':')[0];
        Assert.Contains($"advertise-kafka-addr=internal://{bootstrap}", Command(broker), StringComparison.Ordinal);

        var dependsOn = (YamlMappingNode)Service("silo")["depends_on"];
        Assert.Equal("service_healthy", ((YamlMappingNode)dependsOn["postgres"])["condition"].ToString());
        Assert.Equal("service_completed_successfully", ((YamlMappingNode)dependsOn["topics"])["condition"].ToString());
    }

    [Fact]
    public void The_topics_service_creates_every_event_topic_and_its_dead_letter_twin_with_the_silos_partition_count()
    {
        var silo = Environment("silo");
        var command = Command("topics");
        var created = TopicName().Matches(command).Select(m => m.Value).ToHashSet();

        Assert.Equal(new EventTopics(silo["ENVIRONMENT"]).All.ToHashSet(), created);
        Assert.Contains("\"$$topic\" \"$$topic.dlq\"", command, StringComparison.Ordinal);
        Assert.Contains($"--partitions {silo["KAFKA_TOPIC_PARTITIONS"]}", command, StringComparison.Ordinal);
        Assert.Equal(CodegenTopics.All.ToHashSet(), CodegenTopicName().Matches(command).Select(m => m.Value).ToHashSet());
    }

    [Fact]
    public void No_secret_is_written_in_the_file()
    {
        foreach (var service in ((YamlMappingNode)Compose["services"]).Children.Keys.Select(k => k.ToString()))
        {
            if (!Service(service).Children.ContainsKey("environment")) continue;
            foreach (var (name, value) in Environment(service).Where(e => e.Key.Contains("PASSWORD", StringComparison.Ordinal) || e.Key.Contains("KEY", StringComparison.Ordinal)))
                Assert.True(value.StartsWith("${", StringComparison.Ordinal), $"{service}.{name} must come from the environment, not the file");
        }
    }

    [Fact]
    public void The_silo_image_is_built_from_a_dockerfile_that_runs_the_silo_on_its_port()
    {
        var build = (YamlMappingNode)Service("silo")["build"];
        var dockerfile = File.ReadAllText(Path.Combine(Repository.Root, build["context"].ToString(), build["dockerfile"].ToString()));
        Assert.Contains("""ENTRYPOINT ["dotnet", "OmniBridge.Silo.dll"]""", dockerfile, StringComparison.Ordinal);
        Assert.Matches($@"EXPOSE .*\b{Environment("silo")["SERVICE_PORT"]}\b", dockerfile);
        Assert.Contains("8053:8053", ((YamlSequenceNode)Service("silo")["ports"]).Children.Select(p => p.ToString()));
    }

    [Fact]
    public void Two_silos_of_one_cluster_run_behind_the_standalone_api()
    {
        // silo-2 is silo (a YAML merge) on another host port.
        var second = Service("silo-2");
        Assert.Same(Service("silo"), second["<<"]);
        Assert.Equal(["8054:8053"], ((YamlSequenceNode)second["ports"]).Children.Select(p => p.ToString()));

        var api = Service("api");
        Assert.Equal(["dotnet", "OmniBridge.Api.dll"], ((YamlSequenceNode)api["entrypoint"]).Children.Select(c => c.ToString()));
        Assert.Equal(Environment("silo"), Environment("api"));
        Assert.Contains("8080:8053", ((YamlSequenceNode)api["ports"]).Children.Select(p => p.ToString()));
        Assert.Equal(((YamlMappingNode)Service("silo"))["image"].ToString(), api["image"].ToString());
    }

    [GeneratedRegex(@"\bomninode_codegen_[a-z_]+_v1\b")]
    private static partial Regex CodegenTopicName();

    [GeneratedRegex(@"\b[a-z]+\.omninode-bridge\.[a-z]+\.[a-z-]+\.v1\b(?!\.dlq)")]
    private static partial Regex TopicName();
}
