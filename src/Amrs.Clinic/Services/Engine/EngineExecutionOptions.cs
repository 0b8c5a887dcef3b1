using System.ComponentModel.DataAnnotations;

namespace Amrs.Clinic.Services.Engine;

/// <summary>How the clinic runs model work (section <c>Engine</c>, beside the model store's settings).</summary>
public sealed class EngineExecutionOptions
{
    public const string Section = "Engine";

    /// <summary>Torch intra-op threads of the engine thread; null means 1, so model work never takes every core from the pages.</summary>
    [Range(1, 64, ErrorMessage = "Engine:TorchThreads must be between 1 and 64 when set.")]
    public int? TorchThreads { get; set; }

    /// <summary>How long the engine thread waits for more requests after the first one, to run them as one batch.</summary>
    [Range(0, 100, ErrorMessage = "Engine:BatchWindowMilliseconds must be between 0 and 100.")]
    public int BatchWindowMilliseconds { get; set; } = 3;

    /// <summary>
    /// Whether this instance runs the retraining jobs Admins start on the Models page. With several instances on one
    /// database, exactly one should: each runner takes over jobs it finds left running at its start.
    /// </summary>
    public bool RunTrainingJobs { get; set; } = true;

    /// <summary>The most requests run as one batch.</summary>
    [Range(1, 256, ErrorMessage = "Engine:MaxBatch must be between 1 and 256.")]
    public int MaxBatch { get; set; } = 32;
}
