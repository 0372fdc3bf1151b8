using Damon.Config.Engine;

namespace Damon.Host;

/// <summary>
/// A context built in code to start as its own kdamond: its operations set and parameters (a
/// staged context: the backend commits it into the context it runs, or writes it to sysfs).
/// </summary>
public sealed record ContextRequest(EngineContext Built, string? Name = null);
