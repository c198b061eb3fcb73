using System.Net;

namespace RadiusEmailOtp.Otp.Email;

/// <summary>Picks the route (providers and texts) for a user, realm and NAS address.</summary>
public interface IEmailRouteSelector
{
    EmailRoute Select(string user, string realm, IPAddress? client);
}
