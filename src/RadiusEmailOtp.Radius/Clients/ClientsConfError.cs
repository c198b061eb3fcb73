namespace RadiusEmailOtp.Radius.Clients;

/// <summary>One problem in a clients.conf file.</summary>
/// <param name="File">The file name.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Message">What is wrong.</param>
public sealed record ClientsConfError(string File, int Line, string Message)
{
    /// <summary>Formats as "file:line: message".</summary>
    public override string ToString() => $"{File}:{Line}: {Message}";
}
