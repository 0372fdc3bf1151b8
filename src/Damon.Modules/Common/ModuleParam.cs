namespace Damon.Modules.Common;

/// <summary>The C type of a module parameter (module_param's type argument).</summary>
public enum ModuleParamKind
{
    Bool,
    Int,
    ULong,
}

/// <summary>
/// One writable module parameter of <typeparamref name="T"/>: its kernel name, C type, and how to
/// read it from and write it into the (immutable) parameters record.
/// </summary>
public sealed class ModuleParam<T>
{
    private readonly Func<T, object> _get;
    private readonly Func<T, object, T> _set;

    private ModuleParam(string name, ModuleParamKind kind, Func<T, object> get, Func<T, object, T> set)
    {
        Name = name;
        Kind = kind;
        _get = get;
        _set = set;
    }

    public string Name { get; }
    public ModuleParamKind Kind { get; }

    /// <summary>The value: a bool, long (Int) or ulong (ULong).</summary>
    public object Get(T p) => _get(p);

    public T Set(T p, object value) => _set(p, value);

    public static ModuleParam<T> ULong(string name, Func<T, ulong> get, Func<T, ulong, T> set)
        => new(name, ModuleParamKind.ULong, p => get(p), (p, v) => set(p, (ulong)v));

    public static ModuleParam<T> Int(string name, Func<T, int> get, Func<T, int, T> set)
        => new(name, ModuleParamKind.Int, p => (long)get(p), (p, v) => set(p, checked((int)(long)v)));

    public static ModuleParam<T> Bool(string name, Func<T, bool> get, Func<T, bool, T> set)
        => new(name, ModuleParamKind.Bool, p => get(p), (p, v) => set(p, (bool)v));

    /// <summary>Reach a parameter of a nested group (the modules-common.h macros' groups).</summary>
    public ModuleParam<TOuter> Lift<TOuter>(Func<TOuter, T> get, Func<TOuter, T, TOuter> set)
        => new(Name, Kind, o => _get(get(o)), (o, v) => set(o, _set(get(o), v)));
}

/// <summary>
/// A module's parameters record: the module name (MODULE_PARAM_PREFIX without the dot), its
/// writable parameters in the kernel's names, the kernel's defaults, and the kernel's rules.
/// </summary>
public interface IModuleParams<TSelf> where TSelf : IModuleParams<TSelf>
{
    static abstract string ModuleName { get; }
    static abstract TSelf Default { get; }
    static abstract IReadOnlyList<ModuleParam<TSelf>> Params { get; }

    /// <summary>Throw <see cref="ModuleParamException"/> for what the module would reject with -EINVAL.</summary>
    void Validate();
}
