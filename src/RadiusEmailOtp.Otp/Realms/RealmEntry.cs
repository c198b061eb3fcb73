using RadiusEmailOtp.Otp.Engine;

namespace RadiusEmailOtp.Otp.Realms;

/// <summary>
/// One <c>[realms."NAME"]</c> table: the resolvers asked for the realm's users, first match wins (an empty list = only
/// <c>local</c>), and the realm's own <c>otppin</c>, which wins over <c>[email_token] otppin</c> (null = that one).
/// </summary>
public sealed record RealmEntry(string Realm, IReadOnlyList<string> Resolvers, OtpPinMode? OtpPin);
