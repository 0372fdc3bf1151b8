using Damon.Modules.Common;
using Damon.Modules.Config;
using Damon.Modules.Tier;
using Xunit;

namespace Damon.Modules.Tests.Config;

/// <summary>
/// A parameter file that cannot be opened is one line naming the file and the errno's meaning,
/// not .NET's exception sentence (which named a different path: "Could not find file '/tmp/hs/x'").
/// </summary>
public class ModuleParamsFileAccessTests
{
    [Fact]
    public void A_missing_file_is_file_not_found()
    {
        var e = Assert.Throws<ModuleParamException>(() => ModuleParamsFile.Read<TierParams>("/nonexistent.yaml"));
        Assert.Equal("/nonexistent.yaml: file not found", e.Message);
    }

    [Fact]
    public void A_missing_directory_on_the_path_is_file_not_found()
    {
        var e = Assert.Throws<ModuleParamException>(() => ModuleParamsFile.Read<TierParams>("/nonexistent/dir/tier.json"));
        Assert.Equal("/nonexistent/dir/tier.json: file not found", e.Message);
    }

    [Fact]
    public void A_directory_is_not_a_parameter_file()
    {
        string dir = Directory.CreateTempSubdirectory("damon-params-").FullName;
        try
        {
            var e = Assert.Throws<ModuleParamException>(() => ModuleParamsFile.Read<TierParams>(dir));
            Assert.Equal($"{dir}: is a directory, not a parameter file", e.Message);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    /// <summary>Permission denied cannot be provoked as root (the tests' usual user), so the mapping is tested directly.</summary>
    [Fact]
    public void Read_failures_are_named_by_their_errno()
    {
        Assert.Equal("file not found", ModuleParamsFile.ReadFailure(new FileNotFoundException("Could not find file '/tmp/hs/x'.")));
        Assert.Equal("file not found", ModuleParamsFile.ReadFailure(new DirectoryNotFoundException("Could not find a part of the path.")));
        Assert.Equal("permission denied", ModuleParamsFile.ReadFailure(new UnauthorizedAccessException("Access to the path '/x' is denied.")));
        Assert.Equal("cannot be read (Input/output error)", ModuleParamsFile.ReadFailure(new IOException("Input/output error")));
        Assert.Equal("/p.yaml: permission denied", ModuleParamException.ForFile("/p.yaml", "permission denied").Message);
    }
}
