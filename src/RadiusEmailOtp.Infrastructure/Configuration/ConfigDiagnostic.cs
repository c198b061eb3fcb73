namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>One problem found in a configuration file.</summary>
public sealed record ConfigDiagnostic(string File, int Line, bool IsError, string Message)
{
    /// <summary>Formats as <c>file:line: error: message</c>, the shape compilers and editors understand.</summary>
    public override string ToString() => $"{File}:{Line}: {(IsError ? "error" : "warning")}: {Message}";
}
