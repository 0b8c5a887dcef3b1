namespace Amrs.Engine.Features;

/// <summary>
/// FNV-1a over a normalised string. string.GetHashCode is randomised per process, so it cannot be used for
/// anything that must be the same at training and at serving time.
/// </summary>
internal static class StableHash
{
    public static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text.Trim().ToLowerInvariant())
        {
            hash ^= ch;
            hash *= 16777619u;
        }
        return hash;
    }

    public static int Bucket(string text, int buckets) => (int)(Fnv1a(text) % (uint)buckets);
}
