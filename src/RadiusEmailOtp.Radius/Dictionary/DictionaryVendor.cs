namespace RadiusEmailOtp.Radius.Dictionary;

/// <summary>One VENDOR of a dictionary with the sizes of its VSA type and length fields.</summary>
/// <param name="Name">The vendor's name.</param>
/// <param name="Id">The vendor's private enterprise number.</param>
/// <param name="TypeLength">Octets in a VSA's type field: 1, 2 or 4.</param>
/// <param name="LengthLength">Octets in a VSA's length field: 0, 1 or 2.</param>
public sealed record DictionaryVendor(string Name, int Id, int TypeLength, int LengthLength)
{
    /// <summary>Whether each VSA carries a continuation octet after its length, as WiMAX's <c>format=1,1,c</c> does.</summary>
    public bool HasContinuation { get; init; }
}
