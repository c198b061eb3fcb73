namespace RadiusEmailOtp.Radius;

/// <summary>One attribute as it stood on the wire: its type and the octets after Type and Length (VSAs are kept raw).</summary>
/// <param name="Type">The attribute type octet.</param>
/// <param name="Value">The attribute value, without the Type and Length octets.</param>
public readonly record struct RadiusAttribute(byte Type, ReadOnlyMemory<byte> Value);
