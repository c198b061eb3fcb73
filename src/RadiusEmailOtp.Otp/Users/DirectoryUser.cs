namespace RadiusEmailOtp.Otp.Users;

/// <summary>A user found in a directory resolver (never <c>local</c>), with the resolver to ask for password and address.</summary>
public sealed record DirectoryUser(IUserResolver Resolver, ResolvedUser User);
