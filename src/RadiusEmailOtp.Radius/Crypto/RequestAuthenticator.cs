using System.Security.Cryptography;

namespace RadiusEmailOtp.Radius;

/// <summary>Checks the Request Authenticator of Accounting, CoA and Disconnect requests (RFC 2866 §3, RFC 5176 §3.5).</summary>
public static class RequestAuthenticator
{
    /// <summary>Returns whether the request's authenticator equals MD5(Code | ID | Length | 16 zero octets | attributes | secret).</summary>
    public static bool VerifyAccountingStyle(ReadOnlySpan<byte> request, ReadOnlySpan<byte> secret)
    {
        var packet = RadiusHash.Bound(request);
        if (packet.IsEmpty)
        {
            return false;
        }

        Span<byte> zeros = stackalloc byte[RadiusWire.AuthenticatorLength];
        zeros.Clear();
        Span<byte> expected = stackalloc byte[RadiusHash.Md5Length];
        RadiusHash.ComputeAuthenticator(packet, zeros, secret, expected);
        return CryptographicOperations.FixedTimeEquals(
            expected, packet.Slice(RadiusWire.AuthenticatorOffset, RadiusWire.AuthenticatorLength));
    }
}
