namespace RadiusEmailOtp.Radius.Clients;

/// <summary>The clients read from a clients.conf file and the problems found in it.</summary>
/// <param name="Clients">The clients that parsed without error.</param>
/// <param name="Errors">The problems, each with file and line.</param>
public sealed record ClientsConfResult(IReadOnlyList<ClientDefinition> Clients, IReadOnlyList<ClientsConfError> Errors);
