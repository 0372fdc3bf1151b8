namespace Damon.Guest;

/// <summary>The outcome of one guest case: passed, failed with a reason, or skipped with a reason.</summary>
public readonly record struct CaseResult(CaseOutcome Outcome, string Reason)
{
    public static CaseResult Pass() => new(CaseOutcome.Pass, "");
    public static CaseResult Fail(string reason) => new(CaseOutcome.Fail, reason);
    public static CaseResult Skip(string reason) => new(CaseOutcome.Skip, reason);
}

public enum CaseOutcome { Pass, Fail, Skip }

/// <summary>A named guest case. Names are "group/case"; guest-test.sh prefixes the kernel ("6.12/group/case").</summary>
public sealed record GuestCase(string Name, Func<GuestContext, CaseResult> Run);
