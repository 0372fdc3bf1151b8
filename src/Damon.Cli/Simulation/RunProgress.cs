using System.Text;
using Spectre.Console;

namespace Damon.Cli.Simulation;

/// <summary>
/// A progress bar over simulated time for long runs, shown only when the command writes to a
/// terminal (never when redirected, piped or captured by tests). While it is shown, the command's
/// own text goes through Spectre so lines appear above the bar instead of through it.
/// </summary>
internal static class RunProgress
{
    public static bool Interactive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    /// <summary>
    /// Runs <paramref name="body"/> with a writer for the command's text and a callback that takes
    /// the progress reached of <paramref name="total"/>, in the caller's unit (simulated µs, runs).
    /// </summary>
    public static T Run<T>(TextWriter output, string title, ulong total, Func<TextWriter, Action<ulong>, T> body)
    {
        if (!Interactive(output))
            return body(output, _ => { });
        return AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(title, maxValue: total);
                using var writer = new LineWriter();
                return body(writer, now =>
                {
                    task.Value = Math.Min(now, total);
                    ctx.Refresh();
                });
            });
    }

    /// <summary>Hands complete lines to Spectre's console, which keeps them above the live bar.</summary>
    private sealed class LineWriter : TextWriter
    {
        private readonly StringBuilder _pending = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                AnsiConsole.Console.Write(new Text(_pending.ToString() + "\n"));
                _pending.Clear();
            }
            else
            {
                _pending.Append(value);
            }
        }

        public override void Write(string? value)
        {
            if (value is null) return;
            foreach (var c in value) Write(c);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _pending.Length > 0)
            {
                AnsiConsole.Console.Write(new Text(_pending.ToString()));
                _pending.Clear();
            }
            base.Dispose(disposing);
        }
    }
}
