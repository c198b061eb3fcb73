using System.Text;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Radius.Clients;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// Imports the clients of a FreeRADIUS clients.conf named by <c>[server] clients_conf</c>, so an admin moving from
/// FreeRADIUS keeps one list of NAS. Errors name the clients.conf file and line.
/// </summary>
public static class ClientsConfImporter
{
    public static IReadOnlyList<(ClientSettings Client, int Line, string File)> Import(string path, ServerSettings server, ConfigDiagnostics diagnostics)
    {
        ClientsConfResult parsed;
        try
        {
            parsed = ClientsConfParser.Parse(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new ConfigDiagnostic(path, 0, true, $"cannot read clients_conf: {ex.Message}"));
            return [];
        }

        foreach (var error in parsed.Errors)
        {
            diagnostics.Add(new ConfigDiagnostic(error.File, error.Line, true, error.Message));
        }

        return parsed.Clients
            .Select(d => (new ClientSettings(
                d.Name,
                d.Network,
                Encoding.UTF8.GetBytes(d.Secret),
                Policy(d.RequireMessageAuthenticator, server.RequireMessageAuthenticator),
                Policy(d.LimitProxyState, server.LimitProxyState),
                ChallengeMode.Challenge,
                $"{d.File}:{d.Line}"), d.Line, d.File))
            .ToList();
    }

    // The parser accepts only yes/no/auto (lower-cased) for these keys.
    private static BlastRadiusPolicy Policy(string? value, BlastRadiusPolicy defaultValue) => value switch
    {
        "yes" => BlastRadiusPolicy.Yes,
        "no" => BlastRadiusPolicy.No,
        "auto" => BlastRadiusPolicy.Auto,
        _ => defaultValue,
    };
}
