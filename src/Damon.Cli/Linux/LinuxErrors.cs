using Damon.Config;
using Damon.Linux.Backend;
using Damon.Linux.Procfs;
using Damon.Linux.Sysfs;

namespace Damon.Cli.Linux;

/// <summary>
/// The Linux layers' one-line failures as the CLI's: a kernel refusal of a sysfs write
/// (<see cref="SysfsException"/>, with its errno), a feature the kernel or user mode lacks
/// (<see cref="BackendRefusedException"/>) and a spec the engine mapping rejects are rejected
/// configurations (exit 4); an unreadable /proc or /sys file is an input error (exit 3).
/// </summary>
internal static class LinuxErrors
{
    public static T Run<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (SysfsException e)
        {
            throw new UserError(WithoutPrefix(e.Message), ExitCodes.ConfigRejected);
        }
        catch (BackendRefusedException e)
        {
            throw new UserError(WithoutPrefix(e.Message), BackendRefusedException.ExitCode);
        }
        catch (ConfigException e)
        {
            throw new UserError(e.Message, ExitCodes.ConfigRejected);
        }
        catch (LinuxSourceException e)
        {
            throw new UserError(e.Message, ExitCodes.InputError);
        }
    }

    /// <summary>The Linux layers' messages carry "damon: " already; the CLI adds its own.</summary>
    private static string WithoutPrefix(string message) =>
        message.StartsWith("damon: ", StringComparison.Ordinal) ? message["damon: ".Length..] : message;
}
