using System.Text.Json;

namespace Amrs.Cli.Evaluation.Policy;

/// <summary>
/// Models of one evaluation split, cached stage by stage (world model, behaviour cloning, DPO under given
/// options) with what was measured while training each, so changing the DPO options retrains only DPO. A
/// stage is written into a temporary folder and renamed into place when complete.
/// </summary>
public sealed class PolicyStageCache(string folder)
{
    public string Folder { get; } = folder;

    /// <summary>The cached model under <paramref name="key"/>, else <paramref name="train"/>'s, saved there.</summary>
    public T GetOrTrain<T>(string key, Func<string, T> load, Func<T, string, IReadOnlyList<string>> save,
        Func<Dictionary<string, double>, T> train, Dictionary<string, double> metrics, TextWriter log)
    {
        var stage = Path.Combine(Folder, key);
        var metricsFile = Path.Combine(stage, "stage-metrics.json");
        if (File.Exists(metricsFile))
        {
            log.WriteLine($"{key}: from the cache {stage}");
            foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(metricsFile)) ?? []) metrics[name] = value;
            return load(stage);
        }
        var measured = new Dictionary<string, double>();
        var model = train(measured);
        foreach (var (name, value) in measured) metrics[name] = value;
        var incoming = stage + ".incoming";
        if (Directory.Exists(incoming)) Directory.Delete(incoming, recursive: true);
        Directory.CreateDirectory(incoming);
        save(model, incoming);
        File.WriteAllText(Path.Combine(incoming, "stage-metrics.json"), JsonSerializer.Serialize(measured));
        if (Directory.Exists(stage)) Directory.Delete(stage, recursive: true);
        Directory.Move(incoming, stage);
        return model;
    }
}
