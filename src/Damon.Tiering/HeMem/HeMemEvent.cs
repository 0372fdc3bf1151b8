namespace Damon.Tiering.HeMem;

/// <summary>pebs.h's enum pbuftype: the PEBS event a sample came from, the index of a page's accesses[].</summary>
public enum HeMemEvent
{
    /// <summary>DRAMREAD: MEM_LOAD_L3_MISS_RETIRED.LOCAL_DRAM, an LLC-missing load served by the fast node.</summary>
    DramRead = 0,
    /// <summary>NVMREAD: MEM_LOAD_RETIRED.LOCAL_PMM, a load served by the slow node.</summary>
    NvmRead = 1,
    /// <summary>WRITE: MEM_INST_RETIRED.ALL_STORES, any retired store.</summary>
    Write = 2,
    /// <summary>NPBUFTYPES.</summary>
    Count = 3,
}
