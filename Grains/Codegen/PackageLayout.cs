namespace OmniBridge.Grains.Codegen;

/// <summary>
/// The files of a node package (docs/protocol.md, "Code generation") and the stage that renders each. Templates are named by
/// the file they render, with <c>init.py</c> for <c>__init__.py</c>.
/// </summary>
public static class PackageLayout
{
    public const string ParseContract = "parse_contract";
    public const string GenerateModel = "generate_model";
    public const string GenerateValidator = "generate_validator";
    public const string GenerateTest = "generate_test";
    public const string ValidateQuality = "validate_quality";
    public const string PackageNode = "package_node";

    /// <summary>The stages of a generation, in order (fields initialise in the order they are written).</summary>
    static readonly string[] StageOrder = [ParseContract, GenerateModel, GenerateValidator, GenerateTest, ValidateQuality, PackageNode];
    public static readonly IReadOnlyList<string> Stages = StageOrder;

    /// <summary>The position of <paramref name="stage"/> among the six, or -1.</summary>
    public static int StageIndex(string stage) => Array.IndexOf(StageOrder, stage);

    /// <summary>How far a generation is when <paramref name="stage"/> begins, from 0 to 1.</summary>
    public static double Fraction(string stage) => (double)Array.IndexOf(StageOrder, stage) / StageOrder.Length;

    /// <summary>The stages that render files, and the files each renders.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> FilesOf = new Dictionary<string, IReadOnlyList<string>>
    {
        [ParseContract] = ["contract.yaml"],
        [GenerateModel] = ["models/__init__.py", "models/model_request.py", "models/model_response.py"],
        [GenerateValidator] = ["node.py", "__init__.py"],
        [GenerateTest] = ["tests/__init__.py", "tests/conftest.py", "tests/test_node.py", "tests/test_integration.py"],
        [PackageNode] = ["README.md"],
    };

    /// <summary>Every file of a package, in the order a listing shows them.</summary>
    static readonly string[] FileOrder =
        ["node.py", "contract.yaml", "__init__.py", "models/__init__.py", "models/model_request.py", "models/model_response.py",
         "tests/__init__.py", "tests/conftest.py", "tests/test_node.py", "tests/test_integration.py", "README.md"];
    public static readonly IReadOnlyList<string> Files = FileOrder;

    /// <summary>The template that renders <paramref name="path"/>.</summary>
    public static string TemplateOf(string path) => path.Replace("__init__.py", "init.py", StringComparison.Ordinal);

    /// <summary>Files in the package's order.</summary>
    public static IReadOnlyList<T> InOrder<T>(IEnumerable<T> files, Func<T, string> path) =>
        [.. files.OrderBy(f => Array.IndexOf(FileOrder, path(f)) is var i and >= 0 ? i : int.MaxValue).ThenBy(path, StringComparer.Ordinal)];
}
