using System.Globalization;

namespace Damon.Records.Text;

/// <summary>
/// damo's human-number parsers. Record files written by old damo versions hold comma-grouped
/// numbers and unit strings ("4,096", "0 B", "5 ms"), so readers accept those as well as raw numbers.
/// Values are returned as decimals so 64-bit nanosecond timestamps survive exactly.
/// </summary>
public static class DamoText
{
    public const decimal UlongMax = 18446744073709551615m;

    private static readonly (string Unit, decimal Bytes)[] SzUnits =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40), ("PiB", 1L << 50), ("EiB", 1L << 60),
        ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30), ("TB", 1L << 40), ("PB", 1L << 50), ("EB", 1L << 60),
        ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30), ("T", 1L << 40), ("P", 1L << 50), ("E", 1L << 60),
        ("B", 1),
    ];

    private static readonly (string Unit, decimal Ns)[] TimeUnits =
    [
        ("ns", 1), ("us", 1000), ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000),
        ("h", 3_600_000_000_000), ("d", 86_400_000_000_000),
    ];

    /// <summary>Plain number, possibly with thousands commas, or "max".</summary>
    public static bool TryNumber(string text, out decimal value)
    {
        text = text.Trim();
        if (text == "max") { value = UlongMax; return true; }
        if (text == "min") { value = 0; return true; }
        var plain = text.Replace(",", "", StringComparison.Ordinal);
        if (decimal.TryParse(plain, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
            return true;
        if (double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            && Math.Abs(d) < 7.9e28)
        {
            value = (decimal)d;
            return true;
        }
        value = 0;
        return false;
    }

    // A number near decimal's ±7.9e28 times a unit overflows; that is text that is not a value
    // (damo's Python ints never overflow, but no DAMON quantity comes close), not a crash.
    private static bool TryMultiply(decimal a, decimal b, out decimal product)
    {
        try
        {
            product = a * b;
            return true;
        }
        catch (OverflowException)
        {
            product = 0;
            return false;
        }
    }

    private static bool TryAdd(decimal a, decimal b, out decimal sum)
    {
        try
        {
            sum = a + b;
            return true;
        }
        catch (OverflowException)
        {
            sum = 0;
            return false;
        }
    }

    public static bool TryBytes(string text, out decimal bytes)
    {
        if (TryNumber(text, out bytes)) return true;
        var trimmed = text.Trim();
        foreach (var (unit, unitBytes) in SzUnits)
        {
            if (!trimmed.EndsWith(unit, StringComparison.Ordinal)) continue;
            if (TryNumber(trimmed[..^unit.Length], out var number) && TryMultiply(number, unitBytes, out var product))
            {
                bytes = Math.Min(UlongMax, decimal.Truncate(product));
                return true;
            }
        }
        bytes = 0;
        return false;
    }

    /// <summary>A duration in nanoseconds: a plain number of ns, or "1 m 11.5 s" style text.</summary>
    public static bool TryNs(string text, out decimal ns)
    {
        if (TryNumber(text, out ns)) return true;
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length > 1)
        {
            if (fields.Length % 2 != 0) { ns = 0; return false; }
            decimal total = 0;
            for (int i = 0; i < fields.Length; i += 2)
            {
                if (!TryNs(fields[i] + fields[i + 1], out var part) || !TryAdd(total, part, out total)) { ns = 0; return false; }
            }
            ns = total;
            return true;
        }
        if (fields.Length == 0) { ns = 0; return false; }
        var single = fields[0];
        // Two-letter units first so "ms" is not read as minutes.
        foreach (var (unit, unitNs) in TimeUnits.OrderByDescending(u => u.Unit.Length))
        {
            if (!single.EndsWith(unit, StringComparison.Ordinal)) continue;
            if (TryNumber(single[..^unit.Length], out var number) && TryMultiply(number, unitNs, out ns))
                return true;
        }
        ns = 0;
        return false;
    }

    /// <summary>A duration in microseconds; plain numbers are taken as microseconds.</summary>
    public static bool TryUs(string text, out decimal us)
    {
        if (TryNumber(text, out us)) return true;
        if (TryNs(text, out var ns)) { us = ns / 1000; return true; }
        return false;
    }

    /// <summary>A percentage; "30%" and "30" both mean thirty percent.</summary>
    public static bool TryPercent(string text, out decimal percent)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith('%')) trimmed = trimmed[..^1].Trim();
        return TryNumber(trimmed, out percent);
    }

    /// <summary>Basis points: a plain number is taken as is, "4 %" means 400.</summary>
    public static bool TryBp(string text, out decimal bp)
    {
        if (TryNumber(text, out bp)) return true;
        var trimmed = text.Trim();
        if (trimmed.EndsWith('%') && TryNumber(trimmed[..^1], out var percent) && TryMultiply(percent, 100, out bp))
            return true;
        return false;
    }

    public static bool TryBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "y": case "yes": case "true": value = true; return true;
            case "n": case "no": case "false": value = false; return true;
            default: value = false; return false;
        }
    }
}
