using System.Text.Json;
using Amrs.Core.Catalog;
using Amrs.Engine.Episodes;
using Amrs.Engine.Features;
using Amrs.Engine.Store;
using TorchSharp;

namespace Amrs.Engine.Policies;

/// <summary>
/// A trained policy with the featurisation it was trained with. Calls that use the network are serialised
/// (a module must not be used from two threads at once). Dispose when done.
/// </summary>
public sealed class PolicyModel : IDisposable
{
    public const string WeightsFile = "policy.weights";
    public const string DescriptionFile = "policy.json";

    public PolicyModel(FeatureSpec spec, TrackVocabulary vocabulary, PolicyOptions options, PolicyNetwork network)
    {
        Spec = spec;
        Vocabulary = vocabulary;
        Options = options;
        Network = network;
    }

    public FeatureSpec Spec { get; }
    public TrackVocabulary Vocabulary { get; }
    public PolicyOptions Options { get; }
    public PolicyNetwork Network { get; }
    public TokenLayout Layout => Network.Layout;

    /// <summary>Whether the parameters are frozen (a DPO reference): no gradients, evaluation mode.</summary>
    public bool IsFrozen { get; private set; }

    internal Lock Gate { get; } = new();

    public TrackFeaturizer Featurizer => new(Spec);

    /// <summary>An encoder that featurises patients, sessions and tracks the way this policy was trained.</summary>
    public EpisodeEncoder CreateEncoder(IEnumerable<Track> catalog) => new(Spec, Vocabulary, catalog);

    /// <summary>
    /// A new policy reading the world model's tokens, history summary included: the patient's taste, where their mood
    /// probably is within the session and how they follow the music, which greedy planning on the world model uses and
    /// a policy cannot work out by attention alone.
    /// </summary>
    public static PolicyModel Create(FeatureSpec spec, TrackVocabulary vocabulary, PolicyOptions options, TokenLayout layout) =>
        new(spec, vocabulary, options, new PolicyNetwork(options, layout, vocabulary.Rows));

    /// <summary>Writes the weights and the description into an existing folder; returns the file names.</summary>
    public IReadOnlyList<string> Save(string folder)
    {
        lock (Gate)
        {
            Network.save(Path.Combine(folder, WeightsFile));
            var description = new PolicyDescription(Spec, Options, Layout.TrackSize, Layout.PatientSize, Vocabulary.TrackIds, Layout.SummarySize);
            File.WriteAllText(Path.Combine(folder, DescriptionFile), JsonSerializer.Serialize(description, StoreJson.Options));
            return [WeightsFile, DescriptionFile];
        }
    }

    /// <summary>Loads a policy written by <see cref="Save"/> (the store checks hashes). Evaluation mode.</summary>
    public static PolicyModel Load(string folder)
    {
        var path = Path.Combine(folder, DescriptionFile);
        var description = JsonSerializer.Deserialize<PolicyDescription>(File.ReadAllText(path), StoreJson.Options)
            ?? throw new InvalidDataException($"'{path}' holds no policy description.");
        var vocabulary = new TrackVocabulary(description.TrackIds);
        var network = new PolicyNetwork(description.Options, new TokenLayout(description.TrackSize, description.PatientSize, description.SummarySize), vocabulary.Rows);
        network.load(Path.Combine(folder, WeightsFile));
        network.eval();
        return new PolicyModel(description.Spec, vocabulary, description.Options, network);
    }

    /// <summary>
    /// A frozen copy from a saved policy: evaluation mode and no parameter requires a gradient, so no optimiser
    /// step can change it. The DPO reference is made this way from the behaviour-cloning weights.
    /// </summary>
    public static PolicyModel LoadFrozen(string folder)
    {
        var model = Load(folder);
        model.Freeze();
        return model;
    }

    /// <summary>A trainable copy with the same weights (through the saved bytes, so nothing is shared).</summary>
    public PolicyModel CloneTrainable()
    {
        lock (Gate)
        {
            using var stream = new MemoryStream();
            Network.save(stream);
            var copy = new PolicyNetwork(Options, Layout, Vocabulary.Rows);
            using var read = new MemoryStream(stream.ToArray());
            copy.load(read);
            return new PolicyModel(Spec, Vocabulary, Options, copy);
        }
    }

    /// <summary>A frozen copy with the same weights.</summary>
    public PolicyModel CloneFrozen()
    {
        var copy = CloneTrainable();
        copy.Freeze();
        return copy;
    }

    private void Freeze()
    {
        foreach (var parameter in Network.parameters()) parameter.requires_grad = false;
        Network.eval();
        IsFrozen = true;
    }

    public void Dispose() => Network.Dispose();
}

/// <summary>
/// Everything besides the weights needed to rebuild a policy. <see cref="SummarySize"/> is 0 for policies saved before
/// policies read the history summary (their descriptions lack it), which load and decode as they were trained.
/// </summary>
public sealed record PolicyDescription(FeatureSpec Spec, PolicyOptions Options, int TrackSize, int PatientSize, IReadOnlyList<string> TrackIds,
    int SummarySize = 0);
