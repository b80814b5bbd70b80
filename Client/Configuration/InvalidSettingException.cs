namespace OmniBridge.Client.Configuration;

/// <summary>A configuration value is present but unusable. Start-up stops with this one line; nothing falls back silently.</summary>
public sealed class InvalidSettingException : Exception
{
    public InvalidSettingException() { }

    public InvalidSettingException(string message) : base(message) { }

    public InvalidSettingException(string message, Exception inner) : base(message, inner) { }

    public InvalidSettingException(string name, string value, string expectation)
        : base($"Invalid setting {name}='{value}': {expectation}") => Name = name;

    /// <summary>The setting at fault, by its environment name.</summary>
    public string? Name { get; }
}
