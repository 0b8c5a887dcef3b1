using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Amrs.Simulation;

/// <summary>
/// Every parameter of a generated world. Two configurations ship: <see cref="Default"/> (the one the simulator
/// was calibrated on) and <see cref="Alt"/> (other trait spreads and another seed, never tuned, used to check
/// that conclusions do not hinge on one world). <see cref="ConfigHash"/> identifies a configuration in reports.
/// </summary>
public sealed record WorldConfig
{
    public int Seed { get; init; } = 20_260_528;
    public int TrackCount { get; init; } = 3_000;
    public int PatientCount { get; init; } = 1_000;

    /// <summary>Share of patients in clinical care (the rest are consumers).</summary>
    public double ClinicalShare { get; init; } = 0.55;

    /// <summary>Share of patients who consented to their data being used; only they have logged sessions.</summary>
    public double ConsentRate { get; init; } = 0.95;

    public int MinSessionsPerPatient { get; init; } = 6;
    public int MaxSessionsPerPatient { get; init; } = 14;
    public int MinTracksPerSession { get; init; } = 8;
    public int MaxTracksPerSession { get; init; } = 16;

    /// <summary>Chance that a step carries a rating (engagement is always observed).</summary>
    public double RatingObservedRate { get; init; } = 0.20;

    /// <summary>Chance that a step carries observed valence and arousal.</summary>
    public double AffectObservedRate { get; init; } = 0.30;

    /// <summary>Softmax temperature of the logging policy (score units; lower is greedier).</summary>
    public double LoggingTemperature { get; init; } = 0.25;

    /// <summary>Trait draws the population oracle averages over.</summary>
    public int PopulationOracleDraws { get; init; } = 64;

    /// <summary>Day the logged history starts (UTC).</summary>
    public DateTimeOffset LoggingStart { get; init; } = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    public TraitSpreads Traits { get; init; } = TraitSpreads.Default;

    public static WorldConfig Default { get; } = new();

    public static WorldConfig Alt { get; } = new()
    {
        Seed = 4_242_017,
        Traits = TraitSpreads.Default with
        {
            GenreAffinitySd = 1.2,
            BaselineValenceSd = 0.16,
            BaselineArousalSd = 0.10,
            EntrainmentRateSd = 0.14,
            ReminiscenceStrengthSd = 0.6,
            AffectNoiseMin = 0.05,
            AffectNoiseMax = 0.16,
            PreferredArousalSd = 0.20,
        },
    };

    /// <summary>Throws when a parameter is out of its sensible range, before any generation starts.</summary>
    public void Validate()
    {
        static void Require(bool ok, string what)
        {
            if (!ok)
                throw new ArgumentException($"Invalid world configuration: {what}.");
        }
        Require(TrackCount > 0 && PatientCount > 0, "track and patient counts must be positive");
        Require(ClinicalShare is >= 0 and <= 1 && ConsentRate is >= 0 and <= 1, "shares must be within 0..1");
        Require(RatingObservedRate is >= 0 and <= 1 && AffectObservedRate is >= 0 and <= 1, "observation rates must be within 0..1");
        Require(MinSessionsPerPatient >= 1 && MinSessionsPerPatient <= MaxSessionsPerPatient, "sessions per patient: 1 <= min <= max");
        Require(MinTracksPerSession >= 1 && MinTracksPerSession <= MaxTracksPerSession, "tracks per session: 1 <= min <= max");
        Require(LoggingTemperature > 0, "the logging temperature must be positive");
        Require(PopulationOracleDraws > 0, "the population oracle needs at least one draw");
        Require(Traits.AffectNoiseMin >= 0 && Traits.AffectNoiseMin <= Traits.AffectNoiseMax, "affect noise: 0 <= min <= max");
    }

    /// <summary>A small world with the default parameters, for fast tests.</summary>
    public WorldConfig Scaled(int patients, int tracks) => this with { PatientCount = patients, TrackCount = tracks };

    /// <summary>
    /// SHA-256 (lower-case hex) of the canonical JSON of this configuration: property names sorted, numbers in
    /// their shortest round-trip form. Equal configurations give equal hashes on every machine.
    /// </summary>
    [JsonIgnore]
    public string ConfigHash
    {
        get
        {
            var json = CanonicalJson();
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        }
    }

    public string CanonicalJson()
    {
        var node = JsonSerializer.SerializeToNode(this) ?? throw new InvalidOperationException("Configuration did not serialise.");
        return Sorted(node)!.ToJsonString();
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}

/// <summary>How patients differ from each other: the spreads (and a few centres) of the latent traits.</summary>
public sealed record TraitSpreads
{
    public double GenreAffinitySd { get; init; } = 0.9;
    public double BaselineValenceSd { get; init; } = 0.12;
    public double BaselineArousalSd { get; init; } = 0.13;
    public double EntrainmentRateMean { get; init; } = 0.25;
    public double EntrainmentRateSd { get; init; } = 0.10;
    public double ReminiscenceStrengthMean { get; init; } = 1.0;
    public double ReminiscenceStrengthSd { get; init; } = 0.4;
    public double FamiliarityGainMean { get; init; } = 0.6;
    public double FamiliarityGainSd { get; init; } = 0.2;
    public double FatiguePerTrackMean { get; init; } = 0.02;
    public double FatiguePerTrackSd { get; init; } = 0.01;
    public double PreferredArousalSd { get; init; } = 0.15;
    public double ValenceLikingSd { get; init; } = 0.5;
    public double EngagementBiasSd { get; init; } = 0.10;
    public double AffectNoiseMin { get; init; } = 0.05;
    public double AffectNoiseMax { get; init; } = 0.11;
    public double EngagementNoise { get; init; } = 0.12;

    public static TraitSpreads Default { get; } = new();
}
