using OmniBridge.Api.Configuration;
using OmniBridge.Silo.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddOmniBridgeSilo();

    var app = builder.Build();
    app.MapOmniBridgeSilo();
    await app.RunAsync();
    return 0;
}
catch (InvalidSettingException invalid)
{
    // One clear line naming the setting, no stack trace: the operator fixes the value and retries.
    await Console.Error.WriteLineAsync(invalid.Message);
    return 2;
}
