using OmniBridge.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace OmniBridge.Tests.Deploy;

/// <summary>
/// deploy/k8s runs where a Kubernetes cluster exists, which is not here: every manifest is parsed
/// and held to what running the service there needs: names and addresses from the
/// downward API, probes on the health endpoints, resources, secrets from a Secret, rolling updates
/// that never go below the desired count, autoscaling and disruption budgets that match.
/// </summary>
public sealed class KubernetesManifestTests
{
    static readonly string Folder = Path.Combine(Repository.Root, "deploy", "k8s");
    static readonly List<(string File, YamlMappingNode Doc)> Documents = Load();

    static List<(string, YamlMappingNode)> Load()
    {
        var documents = new List<(string, YamlMappingNode)>();
        foreach (var file in Directory.GetFiles(Folder, "*.yaml").Order())
        {
            var yaml = new YamlStream();
            using (var reader = new StreamReader(file)) yaml.Load(reader);
            documents.AddRange(yaml.Documents.Select(d => (Path.GetFileName(file), (YamlMappingNode)d.RootNode)));
        }
        return documents;
    }

    static IEnumerable<YamlMappingNode> OfKind(string kind) => Documents.Where(d => Text(d.Doc, "kind") == kind).Select(d => d.Doc);

    static YamlMappingNode Named(string kind, string name) => OfKind(kind).Single(d => Text(Map(d, "metadata"), "name") == name);

    static YamlMappingNode Map(YamlMappingNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => (YamlMappingNode)current[key]);

    static string? Text(YamlMappingNode node, string key) => node.Children.TryGetValue(key, out var value) ? value.ToString() : null;

    static IEnumerable<YamlMappingNode> Items(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? ((YamlSequenceNode)value).Children.Cast<YamlMappingNode>() : [];

    static YamlMappingNode Container(YamlMappingNode deployment) => Items(Map(deployment, "spec", "template", "spec"), "containers").Single();

    static Dictionary<string, string> Labels(YamlMappingNode node) => Map(node, "labels").Children.ToDictionary(l => l.Key.ToString(), l => l.Value.ToString());

    static YamlMappingNode Silo => Named("Deployment", "omnibridge-silo");
    static YamlMappingNode Api => Named("Deployment", "omnibridge-api");

    [Fact]
    public void Every_manifest_parses_and_kustomize_lists_every_file()
    {
        Assert.NotEmpty(Documents);
        Assert.All(Documents, d => Assert.False(string.IsNullOrEmpty(Text(d.Doc, "apiVersion")), $"{d.File} has no apiVersion"));
        var listed = ((YamlSequenceNode)Documents.Single(d => d.File == "kustomization.yaml").Doc["resources"]).Children.Select(r => r.ToString()).Order();
        Assert.Equal(Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order(), listed);
    }

    [Fact]
    public void A_silo_takes_its_name_and_address_from_the_downward_api_and_carries_the_cluster_labels()
    {
        var env = Items(Container(Silo), "env").ToDictionary(e => Text(e, "name")!);
        Assert.Equal("metadata.name", Text(Map(env["POD_NAME"], "valueFrom", "fieldRef"), "fieldPath"));
        Assert.Equal("status.podIP", Text(Map(env["POD_IP"], "valueFrom", "fieldRef"), "fieldPath"));

        var settings = Map(Named("ConfigMap", "omnibridge-settings"), "data");
        var labels = Labels(Map(Silo, "spec", "template", "metadata"));
        Assert.Equal(Text(settings, "SERVICE_ID"), labels["orleans/serviceId"]);
        Assert.Equal(Text(settings, "CLUSTER_ID"), labels["orleans/clusterId"]);
        Assert.False(string.IsNullOrEmpty(Text(settings, "POSTGRES_HOST")), "the silos need PostgreSQL membership to find each other");
    }

    [Theory]
    [InlineData("omnibridge-silo")]
    [InlineData("omnibridge-api")]
    public void Each_workload_is_probed_on_health_bounded_in_resources_fed_secrets_by_reference_and_rolled_without_dropping_below_its_count(string name)
    {
        var deployment = Named("Deployment", name);
        var container = Container(deployment);
        var ports = Items(container, "ports").Select(p => Text(p, "name")).ToList();

        Assert.Equal("/health/ready", Text(Map(container, "readinessProbe", "httpGet"), "path"));
        Assert.Equal("/health/live", Text(Map(container, "livenessProbe", "httpGet"), "path"));
        Assert.Contains(Text(Map(container, "readinessProbe", "httpGet"), "port"), ports);
        Assert.Contains(Text(Map(container, "livenessProbe", "httpGet"), "port"), ports);

        foreach (var bound in new[] { "requests", "limits" })
        {
            Assert.False(string.IsNullOrEmpty(Text(Map(container, "resources", bound), "cpu")), $"{name} {bound}.cpu");
            Assert.False(string.IsNullOrEmpty(Text(Map(container, "resources", bound), "memory")), $"{name} {bound}.memory");
        }

        var password = Items(container, "env").Single(e => Text(e, "name") == "POSTGRES_PASSWORD");
        Assert.Equal("omnibridge-secrets", Text(Map(password, "valueFrom", "secretKeyRef"), "name"));
        Assert.DoesNotContain(Items(container, "env"), e => (Text(e, "name")!.Contains("PASSWORD", StringComparison.Ordinal) || Text(e, "name")!.Contains("KEY", StringComparison.Ordinal)) && e.Children.ContainsKey("value"));
        Assert.DoesNotContain(OfKind("Secret"), _ => true);

        Assert.Equal("RollingUpdate", Text(Map(deployment, "spec", "strategy"), "type"));
        Assert.Equal("0", Text(Map(deployment, "spec", "strategy", "rollingUpdate"), "maxUnavailable"));
        Assert.True(int.Parse(Text(Map(deployment, "spec"), "replicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
    }

    [Fact]
    public void The_api_runs_the_api_program_of_the_silo_image()
    {
        Assert.Equal(Text(Container(Silo), "image"), Text(Container(Api), "image"));
        Assert.Equal(["dotnet", "OmniBridge.Api.dll"], ((YamlSequenceNode)Container(Api)["command"]).Children.Select(c => c.ToString()));
    }

    [Fact]
    public void Services_autoscalers_and_disruption_budgets_point_at_the_workloads_that_exist()
    {
        foreach (var service in OfKind("Service"))
        {
            var selector = Map(service, "spec", "selector").Children.ToDictionary(l => l.Key.ToString(), l => l.Value.ToString());
            var target = OfKind("Deployment").Single(d => selector.All(s => Labels(Map(d, "spec", "template", "metadata")).GetValueOrDefault(s.Key) == s.Value));
            var ports = Items(Container(target), "ports").Select(p => Text(p, "name")).ToList();
            Assert.All(Items(Map(service, "spec"), "ports"), p => Assert.Contains(Text(p, "targetPort"), ports));
        }
        foreach (var autoscaler in OfKind("HorizontalPodAutoscaler"))
        {
            var target = Named("Deployment", Text(Map(autoscaler, "spec", "scaleTargetRef"), "name")!);
            Assert.Equal(Text(Map(target, "spec"), "replicas"), Text(Map(autoscaler, "spec"), "minReplicas"));
        }
        foreach (var budget in OfKind("PodDisruptionBudget"))
        {
            var selector = Map(budget, "spec", "selector", "matchLabels").Children.ToDictionary(l => l.Key.ToString(), l => l.Value.ToString());
            var target = OfKind("Deployment").Single(d => selector.All(s => Labels(Map(d, "spec", "template", "metadata")).GetValueOrDefault(s.Key) == s.Value));
            Assert.True(int.Parse(Text(Map(budget, "spec"), "maxUnavailable")!, System.Globalization.CultureInfo.InvariantCulture)
                < int.Parse(Text(Map(target, "spec"), "replicas")!, System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(2, OfKind("HorizontalPodAutoscaler").Count());
        Assert.Equal(2, OfKind("PodDisruptionBudget").Count());
    }
}
