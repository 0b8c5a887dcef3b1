using Amrs.Engine.Policies;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;

namespace Amrs.Engine.Bundles;

/// <summary>
/// The sizes and schedules of the three models of a bundle (world model, behaviour cloning, DPO), saved in their
/// cards. On the demo world <see cref="Quick"/> trains in 20 to 40 minutes on one core (most of it DPO's step pairs),
/// <see cref="Default"/> in longer.
/// </summary>
public sealed record BundlePresets(
    WorldModelOptions WorldModel,
    TrainingOptions WorldModelTraining,
    PolicyOptions Policy,
    BehaviourCloningOptions Cloning,
    DpoOptions Dpo)
{
    public static BundlePresets Quick { get; } = new(WorldModelOptions.Quick, TrainingOptions.Quick, PolicyOptions.Quick,
        BehaviourCloningOptions.Quick, DpoOptions.Quick);

    public static BundlePresets Default { get; } = new(WorldModelOptions.Default, TrainingOptions.Default, PolicyOptions.Default,
        BehaviourCloningOptions.Default, DpoOptions.Default);

    public static BundlePresets For(bool quick) => quick ? Quick : Default;
}
