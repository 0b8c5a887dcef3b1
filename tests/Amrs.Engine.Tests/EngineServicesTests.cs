using Amrs.Engine.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Amrs.Engine.Tests;

public sealed class EngineServicesTests
{
    [Fact]
    public void Registers_the_model_store_from_configuration_and_rejects_a_missing_root()
    {
        var root = Path.Combine(Path.GetTempPath(), "amrs-engine-di-" + Guid.NewGuid().ToString("N"));
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration["Engine:ModelStoreRoot"] = root;
            builder.AddAmrsEngine();
            using var services = builder.Services.BuildServiceProvider();
            Assert.Equal(Path.GetFullPath(root), services.GetRequiredService<ModelStore>().Root);
            Assert.True(Directory.Exists(root));

            var empty = Host.CreateApplicationBuilder();
            empty.AddAmrsEngine();
            using var broken = empty.Services.BuildServiceProvider();
            var error = Assert.Throws<OptionsValidationException>(() => broken.GetRequiredService<IOptions<EngineOptions>>().Value);
            Assert.Contains("ModelStoreRoot", error.Message);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
