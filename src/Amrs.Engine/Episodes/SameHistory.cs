using System.Runtime.CompilerServices;

namespace Amrs.Engine.Episodes;

/// <summary>
/// The same history object continued in the same context. Batches use it to encode a history once when several
/// requests start from it (a preview's proposed playlist and its comparison share the patient's history).
/// </summary>
internal sealed class SameHistory : IEqualityComparer<(EncodedHistory History, StepContext Next)>
{
    public static readonly SameHistory Instance = new();

    public bool Equals((EncodedHistory History, StepContext Next) x, (EncodedHistory History, StepContext Next) y) =>
        ReferenceEquals(x.History, y.History) && x.Next == y.Next;

    public int GetHashCode((EncodedHistory History, StepContext Next) item) =>
        HashCode.Combine(RuntimeHelpers.GetHashCode(item.History), item.Next);
}
