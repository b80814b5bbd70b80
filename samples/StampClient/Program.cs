using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniBridge.Client;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;

// Stamps the text given (or a greeting) through the cluster's stamp worker and reads it back:
//   dotnet run --project samples/StampClient -- "some text"
// The cluster is found from configuration, as the REST API finds it: POSTGRES_* (the membership
// table) or GATEWAYS (host:port list; by default 127.0.0.1:30000, the embedded default's gateway).
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.AddOmniBridgeClient();
using var host = builder.Build();
await host.StartAsync();

var grains = host.Services.GetRequiredService<IGrainFactory>();
var text = args.Length > 0 ? string.Join(' ', args) : "Hello from a grain client";
var outcome = await grains.GetGrain<IStampWorkerGrain>(0).StampAsync(new StampCommand { Namespace = "samples.client", Text = text });
var found = await grains.GetGrain<IStampQueryGrain>(0).FindAsync("samples.client", outcome.Record.FileHash);

Console.WriteLine($"{(outcome.Created ? "created" : "existing")} {outcome.Record.StampId} {outcome.Record.FileHash}");
Console.WriteLine(outcome.Record.Stamp);
Console.WriteLine($"read back: {found?.StampId == outcome.Record.StampId}");
await host.StopAsync();
