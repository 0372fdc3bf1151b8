using System.Runtime.CompilerServices;
using Damon.Sim.Workloads.Rng;

namespace Damon.Sim.Workloads.Zipf;

/// <summary>
/// Zipf-distributed ranks in [0, n): P(rank k) ∝ (k + 1)^-θ. The method of Gray et al., "Quickly
/// generating billion-record synthetic databases" (SIGMOD'94), which YCSB's ZipfianGenerator uses:
/// O(1) per draw after one zeta(n, θ). Immutable, so threads share one and each brings its own
/// <see cref="Xoshiro256"/>.
/// </summary>
public sealed class ZipfianGenerator
{
    /// <summary>YCSB's ZIPFIAN_CONSTANT.</summary>
    public const double YcsbTheta = 0.99;

    // zeta(n, θ) is summed exactly up to this many terms; the tail uses Euler–Maclaurin.
    private const ulong ExactZetaTerms = 4_000_000;

    private readonly double _alpha, _zetan, _eta, _halfPowTheta;

    public ZipfianGenerator(ulong n, double theta = YcsbTheta)
    {
        if (n == 0) throw new ArgumentOutOfRangeException(nameof(n), "zipf: need at least one item");
        if (!(theta >= 0 && theta < 1)) throw new ArgumentOutOfRangeException(nameof(theta), "zipf: theta must be in [0, 1)");
        N = n;
        Theta = theta;
        _zetan = Zeta(n, theta);
        double zeta2 = Zeta(2, theta);
        _alpha = 1.0 / (1.0 - theta);
        _eta = n <= 2 ? 1 : (1 - Math.Pow(2.0 / n, 1 - theta)) / (1 - zeta2 / _zetan);
        _halfPowTheta = 1 + Math.Pow(0.5, theta);
    }

    public ulong N { get; }
    public double Theta { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next(ref Xoshiro256 rng)
    {
        double u = rng.NextDouble();
        double uz = u * _zetan;
        if (uz < 1.0) return 0;
        if (uz < _halfPowTheta && N > 1) return 1;
        ulong r = (ulong)(N * Math.Pow(_eta * u - _eta + 1, _alpha));
        return r < N ? r : N - 1;
    }

    /// <summary>zeta(n, θ) = Σ_{i=1..n} i^-θ.</summary>
    public static double Zeta(ulong n, double theta)
    {
        ulong exact = Math.Min(n, ExactZetaTerms);
        double sum = 0;
        for (ulong i = exact; i >= 1; i--) sum += Math.Pow(i, -theta);   // small terms first, for precision
        if (n == exact) return sum;
        // Σ_{i=a}^{n} f(i) ≈ ∫_a^n f + (f(a) + f(n))/2 + (f'(n) − f'(a))/12, f(x) = x^-θ.
        double a = exact + 1, b = n;
        double integral = theta == 1 ? Math.Log(b / a) : (Math.Pow(b, 1 - theta) - Math.Pow(a, 1 - theta)) / (1 - theta);
        double ends = (Math.Pow(a, -theta) + Math.Pow(b, -theta)) / 2;
        double deriv = (-theta * Math.Pow(b, -theta - 1) + theta * Math.Pow(a, -theta - 1)) / 12;
        return sum + integral + ends + deriv;
    }

    /// <summary>YCSB's Utils.fnvhash64 (FNV-1a over the 8 bytes, absolute value): scrambles ranks over keys.</summary>
    public static ulong FnvHash64(ulong val)
    {
        ulong hash = 0xCBF29CE484222325UL;
        for (int i = 0; i < 8; i++)
        {
            hash ^= val & 0xff;
            hash *= 1099511628211UL;
            val >>= 8;
        }
        long signed = (long)hash;
        return signed == long.MinValue ? (ulong)long.MaxValue : (ulong)Math.Abs(signed);
    }
}
