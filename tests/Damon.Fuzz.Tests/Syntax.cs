namespace Damon.Fuzz.Tests;

/// <summary>What kind of text a reader takes, so mutations can aim at its structure.</summary>
internal enum Syntax { Json, Yaml, Lines, Binary }
