using Amrs.Engine.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace Amrs.Engine;

public static class EngineServices
{
    /// <summary>
    /// Registers the engine's options (section "Engine", validated at start-up) and the <see cref="ModelStore"/>.
    /// Models themselves are loaded by the caller from the store (which bundle is active is the caller's choice).
    /// </summary>
    public static IHostApplicationBuilder AddAmrsEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EngineOptions>()
            .BindConfiguration(EngineOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ModelStoreRoot), "Engine:ModelStoreRoot must name the model store folder.")
            .Validate(o => o.TorchThreads is null or > 0, "Engine:TorchThreads must be positive when set.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<EngineOptions>>().Value;
            if (options.TorchThreads is { } threads) torch.set_num_threads(threads);
            return new ModelStore(ResolveRoot(options.ModelStoreRoot));
        });
        return builder;
    }

    /// <summary>
    /// Expands <c>{AppData}</c> (the user's local application-data folder) and <c>~/</c>; a relative path is taken
    /// relative to {AppData}/amrs-clinic, the same rule as the database file (Amrs.Data's DataPaths), so the clinic
    /// and the command line share one store whatever their working folders.
    /// </summary>
    public static string ResolveRoot(string configured)
    {
        var appData = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        var expanded = configured.Replace("{AppData}", appData, StringComparison.OrdinalIgnoreCase);
        if (expanded.StartsWith("~/", StringComparison.Ordinal))
            expanded = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), expanded[2..]);
        return Path.GetFullPath(Path.IsPathRooted(expanded) ? expanded : Path.Combine(appData, "amrs-clinic", expanded));
    }
}
