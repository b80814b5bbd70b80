namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>
/// Where a pattern's code joins the generated node. Each hook is a method of the pattern's mixin class named by
/// convention (<c>_pattern_init_&lt;name&gt;(config)</c>, <c>_pattern_before_&lt;name&gt;(operation, payload)</c>,
/// <c>_pattern_wrap_&lt;name&gt;(operation, call)</c>, <c>_pattern_after_&lt;name&gt;(response)</c>,
/// <c>_pattern_health_&lt;name&gt;()</c>), and node.py calls the ones a pattern declares.
/// </summary>
[Flags]
public enum PatternHooks
{
    None = 0,
    /// <summary>Called at the end of the node's __init__ with its config.</summary>
    Init = 1,
    /// <summary>Called before a known operation's handler runs; a string refuses the request with that error.</summary>
    Before = 2,
    /// <summary>Wraps the handler's call (an async callable without arguments) in another one.</summary>
    Wrap = 4,
    /// <summary>Called with every response the node gives.</summary>
    After = 8,
    /// <summary>An async check whose report (with an <c>ok</c> flag) joins health_check()'s <c>patterns</c>.</summary>
    Health = 16,
}
