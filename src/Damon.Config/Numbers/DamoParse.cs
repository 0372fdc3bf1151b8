using System.Numerics;
using Damon.Core.Util;

namespace Damon.Config.Numbers;

/// <summary>
/// damo's human-number parsers (text_to_nr, text_to_bytes, text_to_us, text_to_ms, text_to_percent,
/// text_to_bp, text_to_permil, text_to_bool), following its int/float arithmetic so the values
/// truncate to what damo would write to sysfs. Size units are binary (MB is 2^20); "min" is 0 and
/// "max" is 2^64 - 1; thousands commas are ignored.
/// </summary>
public static class DamoParse
{
    // damo's unit tables live with the one size and duration grammar (Damon.Core.Util); only
    // damo's int/float arithmetic over them is kept here.
    private static IReadOnlyDictionary<string, ulong> UnitBytes => SizeText.Units;
    private static IReadOnlyDictionary<string, ulong> UnitNs => DurationText.UnitsNs;

    /// <summary>
    /// text_to_nr: "max", or a number with optional thousands commas. damo drops every comma ("1,5"
    /// is 15); here a comma that does not group thousands makes the text no number (docs/config.md).
    /// </summary>
    internal static bool TryPyNr(string text, out PyNumber value)
    {
        if (text == "max") { value = PyNumber.UlongMax; return true; }
        value = default;
        return DigitGrouping.TryRemove(text, out var plain) && PyNumber.TryParse(plain, out value);
    }

    /// <summary>try_common_input: "min", "max" or a plain number, taken in the field's own unit.</summary>
    private static bool TryCommon(string text, out PyNumber value)
    {
        if (text == "min") { value = PyNumber.Of(BigInteger.Zero); return true; }
        return TryPyNr(text, out value);
    }

    /// <summary>A count: nr_regions bounds, aggrs, node ids, sample counts.</summary>
    public static bool TryNr(string text, out ulong value)
    {
        value = 0;
        return TryCommon(text, out var n) && n.TryToUlong(out value);
    }

    /// <summary>text_to_bytes: "4K", "4 KiB", "200MB", "1.5 GiB", "1,024", "max".</summary>
    public static bool TrySize(string text, out ulong bytes)
    {
        bytes = 0;
        if (TryCommon(text, out var plain)) return plain.TryToUlong(out bytes);
        if (text.Length == 0) return false;
        PyNumber number = default;
        string? unit = null;
        // damo tries a three-letter unit, then two letters, then one; a bare number is bytes.
        foreach (int len in (ReadOnlySpan<int>)[3, 2, 1])
        {
            if (text.Length <= len && len > 1) continue;
            var tail = text[^len..];
            if (!UnitBytes.ContainsKey(tail)) continue;
            if (!TryPyNr(text[..^len], out number)) return false;
            unit = tail;
            break;
        }
        if (unit is null) return false;
        return (number * PyNumber.Of(new BigInteger(UnitBytes[unit]))).TryToUlong(out bytes);
    }

    /// <summary>text_to_ns without the common-input shortcut's unit: "5ms", "1 m 11.5 s", "100 us".</summary>
    private static bool TryNs(string text, out PyNumber ns)
    {
        ns = default;
        if (TryCommon(text, out ns)) return true;
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length > 1)
        {
            var total = PyNumber.Of(BigInteger.Zero);
            for (int i = 0; i < fields.Length; i += 2)
            {
                var pair = i + 1 < fields.Length ? fields[i] + fields[i + 1] : fields[i];
                if (!TryNs(pair, out var part)) return false;
                total += part;
            }
            ns = total;
            return true;
        }
        if (text.Length == 0) return false;
        string? unit = null;
        if (text.Length >= 2 && text[^2..] is "ns" or "us" or "ms") unit = text[^2..];
        else if (UnitNs.ContainsKey(text[^1..])) unit = text[^1..];
        if (unit is null) return false;
        if (!TryPyNr(text[..^unit.Length], out var number)) return false;
        ns = number * PyNumber.Of(new BigInteger(UnitNs[unit]));
        return true;
    }

    internal static bool TryPyUs(string text, out PyNumber us)
    {
        if (TryCommon(text, out us)) return true;
        if (!TryNs(text, out var ns)) return false;
        // Exact for whole nanoseconds, where damo's float division would round beyond 2^53 ns.
        us = ns.IsInt ? PyNumber.Of(BigInteger.Divide(ns.Int, 1000)) : ns.TrueDiv(1000);
        return true;
    }

    /// <summary>text_to_us: a duration with a unit, or a plain number of microseconds.</summary>
    public static bool TryTimeUs(string text, out ulong us)
    {
        us = 0;
        return TryPyUs(text, out var v) && v.TryToUlong(out us);
    }

    /// <summary>text_to_ms: a duration with a unit, or a plain number of milliseconds.</summary>
    public static bool TryTimeMs(string text, out ulong ms)
    {
        ms = 0;
        if (TryCommon(text, out var plain)) return plain.TryToUlong(out ms);
        if (!TryPyUs(text, out var us)) return false;
        return (us.IsInt ? PyNumber.Of(BigInteger.Divide(us.Int, 1000)) : us.TrueDiv(1000)).TryToUlong(out ms);
    }

    /// <summary>
    /// text_to_ratio scaled to percent, bp or permil ("30%" is 0.3 as a ratio). damo does this in
    /// binary floating point and truncates later, so "0.7 %" of permil reads back as 6; Damon does
    /// the decimal arithmetic exactly so what it prints reads back unchanged.
    /// </summary>
    private static bool TryScaledRatio(string text, decimal scale, out PyNumber value)
    {
        if (TryCommon(text, out value)) return true;
        if (text.Length == 0) return false;
        bool percent = text[^1] == '%';
        if (!DigitGrouping.TryRemove(percent ? text[..^1] : text, out var number)) return false;
        number = number.Trim();
        if (decimal.TryParse(number, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
                System.Globalization.CultureInfo.InvariantCulture, out var d))
        {
            try
            {
                var scaled = (percent ? d / 100m : d) * scale;
                value = scaled == decimal.Truncate(scaled) ? PyNumber.Of(new BigInteger(scaled)) : PyNumber.Of((double)scaled);
                return true;
            }
            catch (OverflowException)
            {
                // Beyond decimal's range: fall through to floating point, as damo computes.
            }
        }
        if (!TryPyNr(percent ? text[..^1] : text, out var n)) return false;
        value = (percent ? n.TrueDiv(100.0) : n) * PyNumber.Of((double)scale);
        return true;
    }

    /// <summary>text_to_percent: "30%" or "0.5 %"; a plain number is already percent. Kept as a float, as damo does.</summary>
    public static bool TryPercent(string text, out double percent)
    {
        percent = 0;
        if (!TryScaledRatio(text, 100, out var v) || v.IsNegative) return false;
        percent = v.AsDouble;
        return true;
    }

    /// <summary>text_to_bp: "0.5%" is 50 bp; a plain number is basis points.</summary>
    public static bool TryBp(string text, out ulong bp)
    {
        bp = 0;
        return TryScaledRatio(text, 10000, out var v) && v.TryToUlong(out bp);
    }

    /// <summary>text_to_permil: "0.1 %" is 1 permil; a plain number is permil.</summary>
    public static bool TryPermil(string text, out ulong permil)
    {
        permil = 0;
        return TryScaledRatio(text, 1000, out var v) && v.TryToUlong(out permil);
    }

    /// <summary>text_to_bool: y/yes/true and n/no/false, any case.</summary>
    public static bool TryBool(string text, out bool value)
    {
        switch (text.ToLowerInvariant())
        {
            case "y" or "yes" or "true": value = true; return true;
            case "n" or "no" or "false": value = false; return true;
            default: value = false; return false;
        }
    }
}
