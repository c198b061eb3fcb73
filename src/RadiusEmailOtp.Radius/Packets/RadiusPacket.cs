using System.Text;

namespace RadiusEmailOtp.Radius;

/// <summary>A validated RADIUS packet whose attributes point into a private copy of its bytes.</summary>
public sealed class RadiusPacket
{
    private readonly byte[] _raw;
    private readonly RadiusAttribute[] _attributes;

    internal RadiusPacket(byte[] raw, RadiusAttribute[] attributes)
    {
        _raw = raw;
        _attributes = attributes;
    }

    /// <summary>Gets the packet code.</summary>
    public RadiusCode Code => (RadiusCode)_raw[0];

    /// <summary>Gets the Identifier that pairs requests and replies.</summary>
    public byte Identifier => _raw[1];

    /// <summary>Gets the Length field, which equals the length of <see cref="Raw"/>.</summary>
    public int Length => _raw.Length;

    /// <summary>Gets the 16-octet Authenticator from the header.</summary>
    public ReadOnlyMemory<byte> Authenticator => _raw.AsMemory(RadiusWire.AuthenticatorOffset, RadiusWire.AuthenticatorLength);

    /// <summary>Gets the non-empty attributes in the order they appeared on the wire.</summary>
    public IReadOnlyList<RadiusAttribute> Attributes => _attributes;

    /// <summary>Gets exactly Length octets of the packet, copied out of the receive buffer.</summary>
    public ReadOnlyMemory<byte> Raw => _raw;

    /// <summary>Returns the first attribute of the given type, or null when there is none.</summary>
    public RadiusAttribute? Find(byte type)
    {
        foreach (var attribute in _attributes)
        {
            if (attribute.Type == type)
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>Returns every attribute of the given type in wire order.</summary>
    public IEnumerable<RadiusAttribute> FindAll(byte type)
    {
        foreach (var attribute in _attributes)
        {
            if (attribute.Type == type)
            {
                yield return attribute;
            }
        }
    }

    /// <summary>Returns the first attribute of the given type decoded as UTF-8, or null when there is none.</summary>
    public string? GetString(byte type)
    {
        var attribute = Find(type);
        return attribute is { } found ? Encoding.UTF8.GetString(found.Value.Span) : null;
    }

    /// <summary>Returns whether the packet holds at least one attribute of the given type.</summary>
    public bool Has(byte type) => Find(type).HasValue;
}
