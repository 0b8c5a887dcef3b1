namespace Amrs.Data.Delivery;

/// <summary>What "an open alert" means, in one place: the clinician's list, the patient directory and the guard's facts read it alike.</summary>
public static class DeliveryQueries
{
    /// <summary>Sessions stopped for distress whose alert the clinician has not yet acknowledged.</summary>
    public static IQueryable<DeliverySessionEntity> WithOpenAlert(this IQueryable<DeliverySessionEntity> sessions) =>
        sessions.Where(d => d.Status == DeliveryStatus.Stopped && d.AlertAcknowledgedAt == null);
}
