namespace Amrs.Clinic.Services.Engine;

/// <summary>
/// A model bundle that cannot be loaded: its files are missing or changed, or its models were made by an earlier
/// version of the engine (the message says which). Nothing is proposed or simulated from it; an administrator promotes
/// a bundle that loads.
/// </summary>
public sealed class ModelBundleUnavailableException(string bundleId, Exception cause)
    : Exception($"The model bundle {bundleId} cannot be loaded: {cause.Message.TrimEnd('.')}. Nothing can be proposed or " +
                "simulated with it; an administrator can promote a bundle that loads on the Models page.", cause)
{
    public string BundleId { get; } = bundleId;
}
