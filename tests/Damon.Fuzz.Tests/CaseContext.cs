namespace Damon.Fuzz.Tests;

/// <summary>What a case generator gets: its index, its own seeded generator and its folder.</summary>
internal sealed class CaseContext(int index, Random random, string dir)
{
    public int Index { get; } = index;
    public Random Random { get; } = random;
    public string Dir { get; } = dir;

    public string PathOf(string name) => Path.Combine(Dir, name);

    public string Write(string name, byte[] content)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];
}
