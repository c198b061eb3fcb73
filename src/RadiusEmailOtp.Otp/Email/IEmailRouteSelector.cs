using System.Net;

namespace RadiusEmailOtp.Otp.Email;

/// <summary>Picks the route (providers and texts) for a user, realm, resolver and NAS address.</summary>
public interface IEmailRouteSelector
{
    /// <summary>
    /// The route for <paramref name="user"/> of <paramref name="realm"/>, found in <paramref name="resolver"/> (the
    /// resolver's name; <c>local</c> for a user of the token table), asking from <paramref name="client"/>.
    /// </summary>
    EmailRoute Select(string user, string realm, string resolver, IPAddress? client);
}
