using System.Net;
using RadiusEmailOtp.Otp.Email;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>Always the same route; records who asked.</summary>
public sealed class FixedRouteSelector(EmailRoute route) : IEmailRouteSelector
{
    public EmailRoute Route { get; set; } = route;

    public (string User, string Realm, string Resolver, IPAddress? Client)? LastQuery { get; private set; }

    public EmailRoute Select(string user, string realm, string resolver, IPAddress? client)
    {
        LastQuery = (user, realm, resolver, client);
        return Route;
    }
}
