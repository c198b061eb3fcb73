using System.Security.Cryptography;

namespace RadiusEmailOtp.Radius;

/// <summary>Checks Message-Authenticator attributes (RFC 3579 §3.2) in constant time.</summary>
public static class MessageAuthenticator
{
    /// <summary>Returns whether the request carries a Message-Authenticator that matches; false when it has none.</summary>
    public static bool VerifyRequest(RadiusPacket request, ReadOnlySpan<byte> secret)
    {
        ArgumentNullException.ThrowIfNull(request);
        var packet = request.Raw.Span;
        var valueOffset = RadiusHash.FindMessageAuthenticatorValue(packet);
        if (valueOffset < 0)
        {
            return false;
        }

        // RFC 3579 §3.2: Access-Request and Status-Server hash their own Request Authenticator;
        // RFC 5176 §3.3 and FreeRADIUS: Accounting, CoA and Disconnect requests hash 16 zero octets instead.
        Span<byte> authenticator = stackalloc byte[RadiusWire.AuthenticatorLength];
        switch (request.Code)
        {
            case RadiusCode.AccountingRequest:
            case RadiusCode.CoARequest:
            case RadiusCode.DisconnectRequest:
                authenticator.Clear();
                break;
            default:
                request.Authenticator.Span.CopyTo(authenticator);
                break;
        }

        return Matches(packet, authenticator, valueOffset, secret);
    }

    /// <summary>Returns whether a reply's Message-Authenticator matches when computed with the request's authenticator in the header.</summary>
    public static bool VerifyReply(ReadOnlySpan<byte> reply, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        var packet = RadiusHash.Bound(reply);
        if (packet.IsEmpty || requestAuthenticator.Length != RadiusWire.AuthenticatorLength)
        {
            return false;
        }

        var valueOffset = RadiusHash.FindMessageAuthenticatorValue(packet);
        return valueOffset >= 0 && Matches(packet, requestAuthenticator, valueOffset, secret);
    }

    private static bool Matches(
        ReadOnlySpan<byte> packet, ReadOnlySpan<byte> authenticator, int valueOffset, ReadOnlySpan<byte> secret)
    {
        Span<byte> expected = stackalloc byte[RadiusHash.Md5Length];
        RadiusHash.ComputeMessageAuthenticator(packet, authenticator, valueOffset, secret, expected);
        return CryptographicOperations.FixedTimeEquals(expected, packet.Slice(valueOffset, RadiusHash.Md5Length));
    }
}
