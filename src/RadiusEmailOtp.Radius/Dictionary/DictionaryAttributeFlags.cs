namespace RadiusEmailOtp.Radius.Dictionary;

/// <summary>The boolean flags an ATTRIBUTE line can carry.</summary>
[Flags]
public enum DictionaryAttributeFlags
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>The value starts with a tag octet (RFC 2868 §3).</summary>
    HasTag = 1,

    /// <summary>One attribute holds several fixed-size values.</summary>
    Array = 2,

    /// <summary>Long values are split over consecutive attributes and joined when read (RFC 3579 §3.1).</summary>
    Concat = 4,

    /// <summary>The attribute exists only inside the server and never on the wire.</summary>
    Virtual = 8,

    /// <summary>The value is a secret and must not be logged.</summary>
    Secret = 16,
}
