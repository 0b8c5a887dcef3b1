namespace Amrs.Data.Governance;

public enum TrainingJobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// A retraining job (world model, then BC, then DPO) run in the background. Progress is stored so that the page
/// shows it after a reload, and so that another app instance can see it. One job at a time.
/// </summary>
public sealed class TrainingJobEntity
{
    public Guid Id { get; set; }
    public TrainingJobStatus Status { get; set; }
    public required string StartedByUserId { get; set; }
    public required string StartedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public required string Stage { get; set; }
    public double Progress { get; set; }
    public string? Message { get; set; }
    public bool CancelRequested { get; set; }
    public string? ResultBundleId { get; set; }
    public string? Error { get; set; }
    public bool Quick { get; set; }
}
