namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>Registration of the node in a service registry, deregistration, and discovery of other services (the original's Consul integration).</summary>
public sealed class ServiceDiscoveryPattern : ProductionPattern
{
    public override string Name => "service_discovery";
    public override string Category => "service_discovery";
    public override string Description => "Service discovery: registers the node (id, name, address, port, tags, metadata) in a registry when it is created, deregisters it, and discovers other services' instances by name and tag; an in-process registry by default, any client with register/deregister/discover in its place (Consul, say).";
    public override IReadOnlyList<string> NodeTypes => ["effect", "orchestrator"];
    public override IReadOnlyList<string> Tags => ["discovery", "consul", "registry", "registration", "service", "mesh", "dns", "lookup"];
    public override IReadOnlyList<string> Aliases => ["consul_integration", "consul", "service_registry", "service_registration"];
    public override PatternHooks Hooks => PatternHooks.Init | PatternHooks.Health;
    public override IReadOnlyList<string> ImportLines => ["import socket"];

    public override string Generate(NodePlan plan) => """"
        class ServiceRegistry:
            """An in-process service registry; a Consul client with the same three methods can take its place."""

            def __init__(self) -> None:
                self.instances: dict[str, dict[str, Any]] = {}

            def register(self, registration: dict[str, Any]) -> None:
                """Add or replace the instance ``registration["id"]``."""
                self.instances[str(registration["id"])] = dict(registration)

            def deregister(self, service_id: str) -> bool:
                """Remove an instance; False when it was not registered."""
                return self.instances.pop(service_id, None) is not None

            def discover(self, name: str, tag: str | None = None) -> list[dict[str, Any]]:
                """The instances of the service ``name`` (with ``tag``, when given), by id."""
                return [
                    dict(instance)
                    for _, instance in sorted(self.instances.items())
                    if instance["name"] == name and (tag is None or tag in instance["tags"])
                ]


        # The registry nodes of this process share unless their config names another.
        SERVICE_REGISTRY = ServiceRegistry()


        class PatternServiceDiscovery:
            """Service discovery pattern: the node registers itself when created (service_auto_register, default true)."""

            def _pattern_init_service_discovery(self, config: dict[str, Any]) -> None:
                self.service_registry = config.get("service_registry") or SERVICE_REGISTRY
                port = int(config.get("service_port", 8080))
                self.service_registration: dict[str, Any] = {
                    "id": str(config.get("service_id") or f"{NODE_NAME}-{socket.gethostname()}-{port}"),
                    "name": NODE_NAME,
                    "address": str(config.get("service_address", "127.0.0.1")),
                    "port": port,
                    "tags": [NODE_TYPE, *OPERATIONS],
                    "meta": {"node_class": NODE_CLASS, "version": NODE_VERSION},
                }
                self.service_registered = False
                if config.get("service_auto_register", True):
                    self.register_service()

            def register_service(self) -> dict[str, Any]:
                """Register this node; returns its registration."""
                self.service_registry.register(self.service_registration)
                self.service_registered = True
                return dict(self.service_registration)

            def deregister_service(self) -> bool:
                """Remove this node from the registry."""
                self.service_registered = False
                return self.service_registry.deregister(self.service_registration["id"])

            def discover_service(self, name: str, tag: str | None = None) -> list[dict[str, Any]]:
                """Instances of another service."""
                return self.service_registry.discover(name, tag)

            async def _pattern_health_service_discovery(self) -> dict[str, Any]:
                return {"ok": True, "registered": self.service_registered, "service_id": self.service_registration["id"]}
        """";
}
