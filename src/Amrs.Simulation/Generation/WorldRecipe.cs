using System.Text.Json;
using Amrs.Core.Audit;
using Amrs.Core.Sessions;

namespace Amrs.Simulation.Generation;

/// <summary>
/// The few choices that make a world from a shipped configuration: which one, its seed and its size. The
/// recipe goes into the audit entry of a generation, so the same world can be made again later (to compute
/// calibration numbers against the truth) and checked against what the database holds by its fingerprint.
/// </summary>
public sealed record WorldRecipe(string World, int Seed, int PatientCount, int TrackCount)
{
    public const string DefaultWorld = "default";
    public const string AltWorld = "alt";

    public static IReadOnlyList<string> Worlds { get; } = [DefaultWorld, AltWorld];

    public static WorldRecipe Default { get; } = For(DefaultWorld);

    /// <summary>A shipped world, with its own seed and size unless given.</summary>
    public static WorldRecipe For(string world, int? seed = null, int? patients = null, int? tracks = null)
    {
        var config = Base(world);
        return new WorldRecipe(world, seed ?? config.Seed, patients ?? config.PatientCount, tracks ?? config.TrackCount);
    }

    public WorldConfig Config => Base(World) with { Seed = Seed, PatientCount = PatientCount, TrackCount = TrackCount };

    /// <summary>The details of the <see cref="AuditActions.DataGenerated"/> entry for this world.</summary>
    public string AuditDetails(GeneratedWorld world) => Core.Audit.AuditDetails.Of(new
    {
        world = World,
        seed = Seed,
        patients = PatientCount,
        tracks = TrackCount,
        configHash = world.Config.ConfigHash,
        sessions = world.Sessions.Count,
        steps = world.Sessions.Sum(s => s.Steps.Count),
        sessionFingerprint = SessionFingerprint.Of(world.Sessions),
    });

    /// <summary>The recipe and session fingerprint recorded by <see cref="AuditDetails"/>, or null if the details are not one.</summary>
    public static (WorldRecipe Recipe, string SessionFingerprint)? FromAuditDetails(string details)
    {
        try
        {
            using var document = JsonDocument.Parse(details);
            var root = document.RootElement;
            var world = root.GetProperty("world").GetString();
            if (world is null || !Worlds.Contains(world))
                return null;
            var recipe = new WorldRecipe(world, root.GetProperty("seed").GetInt32(), root.GetProperty("patients").GetInt32(),
                root.GetProperty("tracks").GetInt32());
            return (recipe, root.GetProperty("sessionFingerprint").GetString() ?? "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static WorldConfig Base(string world) => world switch
    {
        DefaultWorld => WorldConfig.Default,
        AltWorld => WorldConfig.Alt,
        _ => throw new ArgumentException($"Unknown world '{world}'; choose {string.Join(" or ", Worlds)}.", nameof(world)),
    };
}
