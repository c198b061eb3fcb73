namespace RadiusEmailOtp.Cli;

/// <summary>
/// One CSV record: its fields and the line it starts on (1-based; a quoted field may span lines). A class, not a
/// record: the fields may hold PINs, and its ToString must not print them.
/// </summary>
internal sealed class CsvRecord(int line, IReadOnlyList<string> fields, bool isBlank)
{
    public int Line { get; } = line;

    public IReadOnlyList<string> Fields { get; } = fields;

    /// <summary>An empty line: one empty, unquoted field.</summary>
    public bool IsBlank { get; } = isBlank;
}
