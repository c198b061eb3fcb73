using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Server;

/// <summary>Turns a handler's response into reply bytes, with the protocol parts every reply needs.</summary>
internal static class ReplyEncoder
{
    /// <summary>
    /// Message-Authenticator goes first in every Access-* and Status-Server reply (BlastRADIUS hardening);
    /// Proxy-States are copied in order to the end (RFC 2865 §5.33); then the Response Authenticator. An
    /// Accounting-Response to an Accounting-Request goes without one (RFC 2866 defines none).
    /// </summary>
    public static byte[] Encode(RadiusResponse response, RadiusPacket request, byte[] secret, bool withMessageAuthenticator = true)
    {
        var builder = new RadiusPacketBuilder(response.Code, request.Identifier);
        foreach (var attribute in response.Attributes)
        {
            builder.Add(attribute.Type, attribute.Value.Span);
        }

        foreach (var message in response.ReplyMessages)
        {
            builder.AddReplyMessage(message);
        }

        foreach (var proxyState in request.FindAll(RadiusAttributeType.ProxyState))
        {
            builder.Add(RadiusAttributeType.ProxyState, proxyState.Value.Span);
        }

        return builder.BuildReply(request.Authenticator.Span, secret, withMessageAuthenticator);
    }

    /// <summary>Whether <see cref="Encode"/> of this response to this request stays within 4096 octets (checked before any mail goes).</summary>
    public static bool Fits(RadiusResponse response, RadiusPacket request) => RadiusPacketBuilder.FitsInPacket(MeasureLength(response, request));

    /// <summary>The octets <see cref="Encode"/> writes for this response to this request, so a handler can tell why a reply does not fit (RFC 2865 §3).</summary>
    public static int MeasureLength(RadiusResponse response, RadiusPacket request)
    {
        var octets = 0;
        foreach (var attribute in response.Attributes)
        {
            octets += 2 + attribute.Value.Length;
        }

        foreach (var message in response.ReplyMessages)
        {
            octets += RadiusPacketBuilder.ReplyMessageLength(message);
        }

        foreach (var proxyState in request.FindAll(RadiusAttributeType.ProxyState))
        {
            octets += 2 + proxyState.Value.Length;
        }

        return RadiusPacketBuilder.ReplyLength(octets, withMessageAuthenticator: true);
    }
}
