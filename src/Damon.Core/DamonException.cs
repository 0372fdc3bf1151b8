namespace Damon.Core;

/// <summary>
/// What the kernel rejects with -EINVAL, -EBUSY or -ECANCELED. The message names the field and the
/// rule it broke; <see cref="Errno"/> keeps the kernel's code so ported KUnit cases can assert it.
/// </summary>
public class DamonException(Errno errno, string message) : Exception(message)
{
    public Errno Errno { get; } = errno;
}

/// <summary>The kernel error codes DAMON's API returns, with their Linux values.</summary>
public enum Errno
{
    EPERM = 1,
    ENOENT = 2,
    ENOMEM = 12,
    EBUSY = 16,
    EINVAL = 22,
    ECANCELED = 125,
}
