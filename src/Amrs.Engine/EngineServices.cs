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
            return new ModelStore(options.ModelStoreRoot);
        });
        return builder;
    }
}
