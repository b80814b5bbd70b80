using OmniBridge.Api;
using OmniBridge.Api.Hosting;
using OmniBridge.Client.Configuration;

try
{
    // The REST API on its own, calling a silo cluster through its gateways: POSTGRES_* (the
    // membership table) or GATEWAYS tell it where the cluster is.
    var builder = WebApplication.CreateBuilder(args);
    builder.AddOmniBridgeApiHost();

    var app = builder.Build();
    app.MapOmniBridgeApi();
    await app.RunAsync();
    return 0;
}
catch (InvalidSettingException refused)
{
    await Console.Error.WriteLineAsync(refused.Message);
    return 2;
}
