namespace Damon.Records.Reports;

/// <summary>damo's 256-colour terminal palettes: a background and a foreground colour per level 0-9.</summary>
public static class AsciiColor
{
    public const int MaxLevel = 9;

    public static IReadOnlyList<string> ColorsetNames { get; } = ["gray", "flame", "emotion"];

    private static readonly Dictionary<string, (int[] Bg, int[] Fg)> Colorsets = new()
    {
        ["gray"] = ([232, 232, 232, 232, 232, 232, 232, 232, 232, 232], [237, 239, 241, 243, 245, 247, 249, 251, 253, 255]),
        ["flame"] = ([232, 1, 1, 2, 3, 3, 20, 21, 26, 27, 27], [239, 235, 237, 239, 243, 245, 247, 249, 251, 255]),
        ["emotion"] = ([232, 234, 20, 21, 26, 2, 3, 1, 1, 1], [239, 235, 237, 239, 243, 245, 247, 249, 251, 255]),
    };

    public static bool IsColorset(string name) => Colorsets.ContainsKey(name);

    public static string Start(string colorset, int level)
    {
        if (!Colorsets.TryGetValue(colorset, out var set))
            throw new ArgumentException($"unknown colorset '{colorset}' (gray, flame or emotion)", nameof(colorset));
        level = Math.Clamp(level, 0, MaxLevel);
        return $"\u001b[48;5;{set.Bg[level]}m\u001b[38;5;{set.Fg[level]}m";
    }

    public const string End = "\u001b[0m";

    public static string Colored(string text, string colorset, int level) => Start(colorset, level) + text + End;

    /// <summary>The "0123456789" legend, each digit in its own colour.</summary>
    public static string Samples(string colorset)
    {
        var sb = new System.Text.StringBuilder();
        for (int level = 0; level <= MaxLevel; level++)
            sb.Append(Start(colorset, level)).Append(level);
        sb.Append(End);
        return sb.ToString();
    }

    /// <summary>RGB of a palette level's background for image output (xterm 256-colour cube and grey ramp).</summary>
    public static (byte R, byte G, byte B) Xterm256(int index)
    {
        if (index < 16)
        {
            (byte, byte, byte)[] basic =
            [
                (0, 0, 0), (128, 0, 0), (0, 128, 0), (128, 128, 0), (0, 0, 128), (128, 0, 128), (0, 128, 128), (192, 192, 192),
                (128, 128, 128), (255, 0, 0), (0, 255, 0), (255, 255, 0), (0, 0, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
            ];
            return basic[index];
        }
        if (index < 232)
        {
            int i = index - 16;
            static byte Level(int v) => (byte)(v == 0 ? 0 : 55 + v * 40);
            return (Level(i / 36), Level(i / 6 % 6), Level(i % 6));
        }
        byte gray = (byte)(8 + (index - 232) * 10);
        return (gray, gray, gray);
    }

    /// <summary>Foreground colour of a level, the colour that carries the heat in damo's palettes.</summary>
    public static (byte R, byte G, byte B) LevelRgb(string colorset, int level)
    {
        if (!Colorsets.TryGetValue(colorset, out var set))
            throw new ArgumentException($"unknown colorset '{colorset}' (gray, flame or emotion)", nameof(colorset));
        return Xterm256(set.Fg[Math.Clamp(level, 0, MaxLevel)]);
    }
}
