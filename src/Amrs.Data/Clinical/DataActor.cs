namespace Amrs.Data.Clinical;

/// <summary>Who loads data, as the audit trail records them: a signed-in Admin, or the command line.</summary>
public sealed record DataActor(string Id, string Name, string Role);
