using System.Buffers.Binary;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Server;

/// <summary>
/// The answer to a Status-Server (RFC 5997). When the request carries <c>FreeRADIUS-Statistics-Type</c> (vendor 11344),
/// the answer carries the server's totals as FreeRADIUS's status server does: bit 1 the authentication counters
/// (<c>FreeRADIUS-Total-Access-Requests</c>, <c>-Accepts</c>, …), bit 2 the accounting ones. Any known client may ask
/// (the packet is authenticated by its Message-Authenticator before this runs): the numbers are counts, nothing more.
/// Counters are 32 bits on the wire and wrap, as FreeRADIUS's do.
/// </summary>
internal static class StatusServerStatistics
{
    public const uint FreeRadiusVendorId = 11344;
    public const byte StatisticsType = 127;
    public const uint AuthenticationBit = 1;
    public const uint AccountingBit = 2;

    // FreeRADIUS-Total-* attribute numbers (FreeRADIUS vendor dictionary).
    private const byte TotalAccessRequests = 128;
    private const byte TotalAccessAccepts = 129;
    private const byte TotalAccessRejects = 130;
    private const byte TotalAccessChallenges = 131;
    private const byte TotalAuthResponses = 132;
    private const byte TotalAuthDuplicateRequests = 133;
    private const byte TotalAuthMalformedRequests = 134;
    private const byte TotalAuthInvalidRequests = 135;
    private const byte TotalAuthDroppedRequests = 136;
    private const byte TotalAuthUnknownTypes = 137;
    private const byte TotalAccountingRequests = 148;
    private const byte TotalAccountingResponses = 149;
    private const byte TotalAcctDuplicateRequests = 150;
    private const byte TotalAcctMalformedRequests = 151;
    private const byte TotalAcctInvalidRequests = 152;
    private const byte TotalAcctDroppedRequests = 153;
    private const byte TotalAcctUnknownTypes = 154;

    /// <summary>An empty reply of <paramref name="code"/>, or one with the statistics the request asks for.</summary>
    public static RadiusResponse Answer(RadiusCode code, RadiusPacket request, ServerCounters counters)
    {
        var response = new RadiusResponse(code);
        if (request.Code != RadiusCode.StatusServer || RequestedType(request) is not { } type)
        {
            return response;
        }

        if ((type & AuthenticationBit) != 0)
        {
            var auth = counters.Auth;
            Add(response, TotalAccessRequests, auth.Requests);
            Add(response, TotalAccessAccepts, counters.Accepts);
            Add(response, TotalAccessRejects, counters.Rejects);
            Add(response, TotalAccessChallenges, counters.Challenges);
            Add(response, TotalAuthResponses, auth.Responses);
            Add(response, TotalAuthDuplicateRequests, auth.Duplicates);
            Add(response, TotalAuthMalformedRequests, auth.Malformed);
            Add(response, TotalAuthInvalidRequests, auth.Invalid);
            Add(response, TotalAuthDroppedRequests, auth.Dropped);
            Add(response, TotalAuthUnknownTypes, auth.UnknownTypes);
        }

        if ((type & AccountingBit) != 0)
        {
            var acct = counters.Acct;
            Add(response, TotalAccountingRequests, acct.Requests);
            Add(response, TotalAccountingResponses, acct.Responses);
            Add(response, TotalAcctDuplicateRequests, acct.Duplicates);
            Add(response, TotalAcctMalformedRequests, acct.Malformed);
            Add(response, TotalAcctInvalidRequests, acct.Invalid);
            Add(response, TotalAcctDroppedRequests, acct.Dropped);
            Add(response, TotalAcctUnknownTypes, acct.UnknownTypes);
        }

        return response;
    }

    private static uint? RequestedType(RadiusPacket request)
    {
        foreach (var vsa in request.FindAll(RadiusAttributeType.VendorSpecific))
        {
            // RFC 2865 §5.26 layout: vendor id, vendor type, vendor length (6: an integer), value.
            var value = vsa.Value.Span;
            if (value.Length == 10 && BinaryPrimitives.ReadUInt32BigEndian(value) == FreeRadiusVendorId && value[4] == StatisticsType && value[5] == 6)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(value[6..]);
            }
        }

        return null;
    }

    private static void Add(RadiusResponse response, byte type, long count)
    {
        var value = new byte[10];
        BinaryPrimitives.WriteUInt32BigEndian(value, FreeRadiusVendorId);
        value[4] = type;
        value[5] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(value.AsSpan(6), unchecked((uint)count));
        response.Attributes.Add(new RadiusAttribute(RadiusAttributeType.VendorSpecific, value));
    }
}
