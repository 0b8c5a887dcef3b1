using Amrs.Simulation;

namespace Amrs.Cli.WorldModels;

/// <summary>
/// Which generated world a verb uses: one of the shipped configurations, optionally scaled down (tests, trials).
/// The configuration hash changes with the scale, so a card always names exactly the world it came from.
/// </summary>
public sealed record WorldChoice(string Name, int? Patients = null, int? Tracks = null)
{
    public const string DefaultName = "default";
    public const string AltName = "alt";

    public static IReadOnlyList<string> Names { get; } = [DefaultName, AltName];

    public WorldConfig Config
    {
        get
        {
            var config = Name switch
            {
                DefaultName => WorldConfig.Default,
                AltName => WorldConfig.Alt,
                _ => throw new ArgumentException($"Unknown world '{Name}'; use {string.Join(" or ", Names)}."),
            };
            return config with
            {
                PatientCount = Patients ?? config.PatientCount,
                TrackCount = Tracks ?? config.TrackCount,
            };
        }
    }

    /// <summary>The other shipped world at the same scale (the out-of-distribution check uses it).</summary>
    public WorldChoice Other => this with { Name = Name == DefaultName ? AltName : DefaultName };

    /// <summary>The world whose configuration hash is <paramref name="hash"/>, among the shipped ones at this scale.</summary>
    public static WorldChoice? FromHash(string? hash, int? patients, int? tracks) =>
        hash is null ? null : Names.Select(n => new WorldChoice(n, patients, tracks)).FirstOrDefault(w => w.Config.ConfigHash == hash);

    public override string ToString() =>
        Patients is null && Tracks is null ? Name : $"{Name} ({Config.PatientCount} patients, {Config.TrackCount} tracks)";
}
