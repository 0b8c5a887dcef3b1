using System.Text.Json;
using Amrs.Engine.Store;

namespace Amrs.Cli.Tests.WorldModels;

/// <summary>One quick world model trained through the CLI on the tiny world, shared by the tests of a class.</summary>
public sealed class TinyTrainedModel : IAsyncLifetime
{
    public string Store { get; } = WorldModelCli.TemporaryFolder();

    internal CliRun Training { get; private set; } = null!;

    public ModelCard Card { get; private set; } = null!;

    public string ModelFolder => Path.Combine(Store, Card.Id);

    public static readonly string[] Arguments = ["train", "world-model", "--quick", "--seed", "5", "--threads", "1", .. WorldModelCli.TinyWorld];

    public async ValueTask InitializeAsync()
    {
        Training = await WorldModelCli.RunAsync([.. Arguments, "--to", Store, "--bundle"], TestContext.Current.CancellationToken);
        Assert.True(Training.ExitCode == 0, Training.ToString());
        var cardPath = Directory.GetFiles(Store, ModelCard.FileName, SearchOption.AllDirectories).Single();
        Card = JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(cardPath), StoreJson.Options)!;
    }

    /// <summary>A copy of the store, for tests that damage files.</summary>
    public string CopyStore()
    {
        var copy = WorldModelCli.TemporaryFolder();
        foreach (var file in Directory.GetFiles(Store, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Store, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Store, recursive: true);
        return ValueTask.CompletedTask;
    }
}
