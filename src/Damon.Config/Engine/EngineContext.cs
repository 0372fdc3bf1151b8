using Damon.Core.Monitoring;
using Damon.Core.Operations;

namespace Damon.Config.Engine;

/// <summary>
/// A context built from a config: the engine's <see cref="DamonContext"/> plus the operations set
/// it asks for, which the caller selects from its registry (<see cref="DamonOpsRegistry.Select"/>).
/// </summary>
public sealed record EngineContext(OperationsId OpsId, DamonContext Context);
