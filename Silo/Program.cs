using OmniBridge.Api;
using OmniBridge.Client.Configuration;
using OmniBridge.Silo.Hosting;

try
{
    // `dotnet run --project Silo -- migrate` applies the schema and exits, for deploy pipelines.
    if (args is ["migrate", ..]) return await MigrateCommand.RunAsync(args[1..]);
    // `dotnet run --project Silo -- log-keygen NAME` prints a transparency log key pair and exits.
    if (args is ["log-keygen", ..]) return await LogKeygenCommand.RunAsync(args[1..]);

    // Settings files are read from beside the program, wherever it is started from.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddOmniBridgeSilo();

    var app = builder.Build();
    app.MapOmniBridgeApi();
    await app.RunAsync();
    return 0;
}
catch (Exception refused) when (refused is InvalidSettingException or StartupRefusedException)
{
    // One clear line, no stack trace: the operator fixes the setting, the script or the database and retries.
    await Console.Error.WriteLineAsync(refused.Message);
    return 2;
}
