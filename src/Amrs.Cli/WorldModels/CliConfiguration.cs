using Amrs.Data.Database;
using Amrs.Data.Hosting;
using Amrs.Engine;
using Microsoft.Extensions.Configuration;

namespace Amrs.Cli.WorldModels;

/// <summary>
/// The settings the world-model verbs read, configured like the clinic: the root appsettings.json, then
/// environment variables (Engine__ModelStoreRoot=...). Paths are resolved like the database file.
/// </summary>
internal static class CliConfiguration
{
    public static IConfiguration Load()
    {
        var configuration = new ConfigurationManager();
        configuration.AddRootAppSettings();
        configuration.AddEnvironmentVariables();
        return configuration;
    }

    public static EngineOptions Engine(IConfiguration configuration)
    {
        var options = configuration.GetSection(EngineOptions.Section).Get<EngineOptions>() ?? new EngineOptions();
        if (string.IsNullOrWhiteSpace(options.ModelStoreRoot))
            throw new ConfigurationException(
                "Engine:ModelStoreRoot is empty. Name the model store folder in appsettings.json, e.g. \"{AppData}/amrs-clinic/models\", or pass --to DIR.");
        if (options.TorchThreads is <= 0)
            throw new ConfigurationException("Engine:TorchThreads must be positive when set.");
        return options;
    }

    public static string ModelStoreRoot(IConfiguration configuration) => DataPaths.Resolve(Engine(configuration).ModelStoreRoot);
}
