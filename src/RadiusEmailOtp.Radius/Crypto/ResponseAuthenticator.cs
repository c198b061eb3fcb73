using System.Security.Cryptography;

namespace RadiusEmailOtp.Radius;

/// <summary>Checks the Response Authenticator of replies (RFC 2865 §3).</summary>
public static class ResponseAuthenticator
{
    /// <summary>Returns whether the reply's authenticator equals MD5(Code | ID | Length | request authenticator | attributes | secret).</summary>
    public static bool Verify(ReadOnlySpan<byte> reply, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        var packet = RadiusHash.Bound(reply);
        if (packet.IsEmpty || requestAuthenticator.Length != RadiusWire.AuthenticatorLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[RadiusHash.Md5Length];
        RadiusHash.ComputeAuthenticator(packet, requestAuthenticator, secret, expected);
        return CryptographicOperations.FixedTimeEquals(
            expected, packet.Slice(RadiusWire.AuthenticatorOffset, RadiusWire.AuthenticatorLength));
    }
}
