namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>How a stamp is attached to content (docs/protocol.md, "Stamp forms").</summary>
[GenerateSerializer]
public enum StampType
{
    /// <summary>One line prepended to text: <c># ONEX:uid=...,hash=...,ts=...</c>.</summary>
    Lightweight = 0,

    /// <summary>An HTML-comment block appended to text.</summary>
    Rich = 1,

    /// <summary>Binary content: the stamp is kept beside the bytes, never written into them.</summary>
    Detached = 2,
}
