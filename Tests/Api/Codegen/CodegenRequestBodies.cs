namespace OmniBridge.Tests.Api.Codegen;

/// <summary>Requirements as a client sends them (docs/protocol.md, "Code generation").</summary>
public static class CodegenRequestBodies
{
    public const string Generate = "/api/v1/codegen/generate";
    public const string Sessions = "/api/v1/codegen/sessions";

    public static object Requirements(string serviceName = "user_crud", string nodeType = "effect", string[]? operations = null, string[]? mixins = null,
        string description = "User CRUD operations with PostgreSQL and automatic retry") => new
        {
            node_type = nodeType,
            service_name = serviceName,
            domain = "database",
            business_description = description,
            operations = operations ?? ["create", "read", "update", "delete", "list"],
            features = new[] { "connection pooling", "metrics" },
            dependencies = new Dictionary<string, object> { ["asyncpg"] = ">=0.29" },
            performance_requirements = new Dictionary<string, object> { ["max_latency_ms"] = 50, ["strict"] = true },
            data_models = new object[] { new { name = "user", fields = new Dictionary<string, string> { ["user_id"] = "str", ["age"] = "int" } } },
            mixins,
        };
}
