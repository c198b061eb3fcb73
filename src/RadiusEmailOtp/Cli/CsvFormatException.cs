namespace RadiusEmailOtp.Cli;

/// <summary>Text that is not RFC 4180 CSV, at a line (1-based). The message never quotes a field's content.</summary>
internal sealed class CsvFormatException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}
