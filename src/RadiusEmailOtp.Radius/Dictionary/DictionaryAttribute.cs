namespace RadiusEmailOtp.Radius.Dictionary;

/// <summary>One ATTRIBUTE of a dictionary; <paramref name="Oid"/> is the full dotted path from the packet's top level, e.g. "26.9.1" or "241.26.11344.1".</summary>
/// <param name="Name">The attribute's name as written in the dictionary.</param>
/// <param name="Oid">The full dotted path from the packet's top level.</param>
/// <param name="VendorId">The vendor's private enterprise number, 0 for standard attributes.</param>
/// <param name="Type">The attribute's own number inside its parent (the last component of <paramref name="Oid"/>).</param>
/// <param name="DataType">The data type of the value.</param>
/// <param name="FixedLength">The length N of an <c>octets[N]</c> attribute, otherwise null.</param>
/// <param name="Flags">The boolean flags.</param>
/// <param name="Encrypt">The <c>encrypt=</c> method: 0 none, 1 User-Password, 2 Tunnel-Password, 3 Ascend-Send-Secret.</param>
public sealed record DictionaryAttribute(
    string Name,
    string Oid,
    int VendorId,
    uint Type,
    DictionaryAttributeType DataType,
    int? FixedLength,
    DictionaryAttributeFlags Flags,
    int Encrypt);
