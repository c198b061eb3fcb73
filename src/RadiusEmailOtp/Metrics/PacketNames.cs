using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Metrics;

/// <summary>Packet codes as FreeRADIUS's dictionaries spell them (Packet-Type values): "Access-Reject", "CoA-ACK".</summary>
internal static class PacketNames
{
    public static string Of(RadiusCode code) => code switch
    {
        RadiusCode.AccessRequest => "Access-Request",
        RadiusCode.AccessAccept => "Access-Accept",
        RadiusCode.AccessReject => "Access-Reject",
        RadiusCode.AccountingRequest => "Accounting-Request",
        RadiusCode.AccountingResponse => "Accounting-Response",
        RadiusCode.AccessChallenge => "Access-Challenge",
        RadiusCode.StatusServer => "Status-Server",
        RadiusCode.StatusClient => "Status-Client",
        RadiusCode.DisconnectRequest => "Disconnect-Request",
        RadiusCode.DisconnectAck => "Disconnect-ACK",
        RadiusCode.DisconnectNak => "Disconnect-NAK",
        RadiusCode.CoARequest => "CoA-Request",
        RadiusCode.CoAAck => "CoA-ACK",
        RadiusCode.CoANak => "CoA-NAK",
        _ => "Code-" + ((byte)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
