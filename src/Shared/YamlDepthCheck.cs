namespace Damon.Shared;

/// <summary>
/// YamlDotNet's scanner, parser and representation model all recurse once per nesting level, so a
/// document nested a few thousand levels deep (<c>[[[[...</c>, <c>- - - ...</c>) overflows the
/// stack, which kills the process and cannot be caught. This scan bounds the depth from the text
/// before YamlDotNet sees it. It over-estimates on purpose (every indentation column, block
/// indicator and open bracket counts as a level), so it needs no YAML parser of its own and
/// never lets a deeper document through; <see cref="MaxDepth"/> is far above any real config and
/// far below the depth that overflows a 1.5 MiB thread stack (about 5000 levels).
/// Linked as source into each assembly that reads YAML.
/// </summary>
internal static class YamlDepthCheck
{
    public const int MaxDepth = 512;

    /// <summary>The 1-based line where the estimated depth first exceeds <see cref="MaxDepth"/>, or null.</summary>
    public static int? FirstTooDeepLine(string text)
    {
        int flow = 0;
        int lineNo = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNo++;
            int i = 0;
            while (i < line.Length && line[i] is ' ' or '\t') i++;
            int block = i;
            char prev = ' ';
            for (; i < line.Length; i++)
            {
                char c = line[i];
                bool afterSpace = prev is ' ' or '\t' or '[' or '{' or ',';
                if (c == '#' && afterSpace) break;
                if (c is '"' or '\'' && afterSpace)
                {
                    // A quoted scalar: skip to its closing quote on this line (an unclosed one runs
                    // to the line's end); brackets inside it are text.
                    int close = i + 1;
                    while (close < line.Length && !(line[close] == c && (c == '\'' || line[close - 1] != '\\'))) close++;
                    i = close;
                    prev = c;
                    continue;
                }
                if (c is '[' or '{') flow++;
                else if (c is ']' or '}') flow = Math.Max(0, flow - 1);
                else if (c is '-' or '?' or ':' && (i + 1 == line.Length || line[i + 1] is ' ' or '\t' or '\r')) block++;
                if (block + flow > MaxDepth) return lineNo;
                prev = c;
            }
            if (block + flow > MaxDepth) return lineNo;
        }
        return null;
    }
}
