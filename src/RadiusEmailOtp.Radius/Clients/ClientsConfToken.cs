namespace RadiusEmailOtp.Radius.Clients;

/// <summary>One token of a FreeRADIUS configuration file.</summary>
internal readonly record struct ClientsConfToken(ClientsConfTokenKind Kind, string Text, int Line);
