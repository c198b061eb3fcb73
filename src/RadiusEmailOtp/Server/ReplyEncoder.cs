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

    /// <summary>The octets <see cref="Encode"/> would write, so a handler can tell before answering whether a reply fits 4096 (RFC 2865 §3).</summary>
    public static int MeasureLength(RadiusResponse response, RadiusPacket request, bool withMessageAuthenticator = true)
    {
        // Header 20, Message-Authenticator 18; Reply-Message pieces of at most 253 octets (UTF-8 boundaries can add a piece).
        var length = 20 + (withMessageAuthenticator ? 18 : 0);
        foreach (var attribute in response.Attributes)
        {
            length += 2 + attribute.Value.Length;
        }

        foreach (var message in response.ReplyMessages)
        {
            var octets = System.Text.Encoding.UTF8.GetByteCount(message);
            length += octets + (2 * Math.Max(1, (octets + 249) / 250));
        }

        foreach (var proxyState in request.FindAll(RadiusAttributeType.ProxyState))
        {
            length += 2 + proxyState.Value.Length;
        }

        return length;
    }
}
