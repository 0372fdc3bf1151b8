using Xunit;

namespace Damon.Cli.Tests;

// PendingSaves is process-wide and other tests run the CLI in this process, so these touch only their own
// conversion (Abandon, not AbandonConversions, which would cancel theirs too).
public class PendingSavesTests
{
    // The race a loaded CI machine hit: the command wrote an abandoned conversion's note to stdout, had not returned
    // within the forced exit's wait, and the forced exit wrote the same note to stderr (two lines instead of one).
    [Fact]
    public void AnAbandonedConversionsNoteIsSaidOnceByWhicheverSaysItFirst()
    {
        using var conversion = PendingSaves.BeginConversion("damon: interrupted; the note", () => { });
        conversion.Abandon();
        Assert.True(conversion.Token.IsCancellationRequested);
        var commandOut = new StringWriter();
        var forcedErr = new StringWriter();
        conversion.SayOnce(commandOut);
        conversion.SayOnce(forcedErr);
        Assert.Equal("damon: interrupted; the note\n", commandOut.ToString());
        Assert.Equal("", forcedErr.ToString());
    }

    [Fact]
    public void TheCommandSaysNothingOnceTheForcedExitSaidTheNote()
    {
        using var conversion = PendingSaves.BeginConversion("damon: interrupted; other note", () => { });
        conversion.Abandon();
        var forcedErr = new StringWriter();
        var commandOut = new StringWriter();
        conversion.SayOnce(forcedErr);
        conversion.SayOnce(commandOut);
        Assert.Equal("damon: interrupted; other note\n", forcedErr.ToString());
        Assert.Equal("", commandOut.ToString());
    }
}
