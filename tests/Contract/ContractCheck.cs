namespace Damon.Host.Contract;

/// <summary>A contract case's failed expectation.</summary>
public sealed class ContractFailure(string message) : Exception(message);

internal static class ContractCheck
{
    public static void That(bool condition, string what)
    {
        if (!condition)
            throw new ContractFailure(what);
    }
}
