namespace Amrs.Engine.Episodes;

/// <summary>
/// One played track, featurised: the track (catalog features and vocabulary row), its context, and the
/// observed signals (<see cref="Signals"/> order; unobserved values are 0 with observed flag 0).
/// </summary>
public sealed record EncodedStep(
    string TrackId,
    int TrackIndex,
    float[] Track,
    StepContext Context,
    float[] Outcomes,
    float[] Observed,
    string SessionId,
    int SessionOrdinal);
