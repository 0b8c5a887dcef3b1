using Amrs.Engine.Store;

namespace Amrs.Engine.Tests.Store;

public sealed class TrainingDataFingerprintTests
{
    [Fact]
    public void Fingerprint_ignores_order_but_changes_with_any_value()
    {
        var world = new ToyWorld(patients: 4, sessionsPerPatient: 2, stepsPerSession: 3);
        var original = TrainingDataFingerprint.Compute(world.Sessions, world.Catalog, world.Patients);

        var shuffled = TrainingDataFingerprint.Compute(world.Sessions.Reverse(), world.Catalog.Reverse(), world.Patients.Reverse());
        var sessions = world.Sessions.ToArray();
        var steps = sessions[1].Steps.ToArray();
        steps[2] = steps[2] with { Engagement = steps[2].Engagement + 1e-9 };
        sessions[1] = sessions[1] with { Steps = steps };
        var changed = TrainingDataFingerprint.Compute(sessions, world.Catalog, world.Patients);

        Assert.Equal(original, shuffled);
        Assert.NotEqual(original, changed);
        Assert.Matches("^[0-9a-f]{64}$", original);
    }
}
