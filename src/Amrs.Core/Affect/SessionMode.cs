namespace Amrs.Core.Affect;

/// <summary>What a session aims for. Clinical sessions carry a clinician-set target; the others a fixed region.</summary>
public enum SessionMode
{
    Clinical,
    Energize,
    Focus,
    Calm,
    Sleep,
}
