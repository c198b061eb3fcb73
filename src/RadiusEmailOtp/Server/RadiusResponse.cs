using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Server;

/// <summary>
/// A handler's answer before it is encoded: the code and the attributes in order. The server adds
/// Message-Authenticator (first), the Proxy-States (last) and the Response Authenticator.
/// </summary>
internal sealed class RadiusResponse
{
    public RadiusResponse(RadiusCode code)
    {
        Code = code;
    }

    public RadiusCode Code { get; }

    public List<RadiusAttribute> Attributes { get; } = [];

    /// <summary>Reply-Messages; the encoder splits a long one over several attributes (RFC 2865 §5.18).</summary>
    public List<string> ReplyMessages { get; } = [];

    public static RadiusResponse Reject(params string[] replyMessages)
    {
        var response = new RadiusResponse(RadiusCode.AccessReject);
        response.ReplyMessages.AddRange(replyMessages);
        return response;
    }
}
