namespace Amrs.Simulation;

/// <summary>Seeds, draws and the few closed forms the simulator needs.</summary>
internal static class SimMath
{
    /// <summary>
    /// A seed for one independent stream (e.g. "patient" #17) of a world seed, by SplitMix64 mixing, so that
    /// adding patients or tracks never changes the draws of the existing ones. Stable across runs and machines
    /// (string.GetHashCode is randomised per process, so names are hashed with FNV-1a here).
    /// </summary>
    public static int Derive(int seed, string stream, long index = 0)
    {
        ulong h = 14695981039346656037;
        foreach (var c in stream)
        {
            h ^= c;
            h *= 1099511628211;
        }
        var x = Mix((ulong)(uint)seed ^ Mix(h ^ Mix((ulong)index + 0x9E3779B97F4A7C15)));
        return (int)(x & 0x7FFF_FFFF);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    public static Random Rng(int seed, string stream, long index = 0) => new(Derive(seed, stream, index));

    /// <summary>Standard normal draw (Box-Muller).</summary>
    public static double Gaussian(this Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static double Gaussian(this Random rng, double mean, double sd) => mean + sd * rng.Gaussian();

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>Index drawn with probability proportional to its weight.</summary>
    public static int PickWeighted(this Random rng, ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights)
            total += w;
        var r = rng.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            r -= weights[i];
            if (r < 0)
                return i;
        }
        return weights.Length - 1;
    }

    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    public static double Clamp01(double x) => Math.Clamp(x, 0.0, 1.0);

    /// <summary>
    /// E[clamp(X, 0, 1)] for X ~ N(mu, sd^2): the mean of an observation that is the latent value plus normal
    /// noise, cut to the scale. With a = -mu/sd, b = (1-mu)/sd:
    /// mu (Phi(b) - Phi(a)) + sd (phi(a) - phi(b)) + (1 - Phi(b)).
    /// </summary>
    public static double ClampedNormalMean(double mu, double sd)
    {
        if (sd <= 0)
            return Clamp01(mu);
        var a = -mu / sd;
        var b = (1 - mu) / sd;
        return mu * (NormalCdf(b) - NormalCdf(a)) + sd * (NormalPdf(a) - NormalPdf(b)) + (1 - NormalCdf(b));
    }

    public static double NormalPdf(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    /// <summary>Standard normal CDF via erfc (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7).</summary>
    public static double NormalCdf(double x)
    {
        var z = Math.Abs(x) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * z);
        var poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        var erfc = poly * Math.Exp(-z * z);
        return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
    }
}
