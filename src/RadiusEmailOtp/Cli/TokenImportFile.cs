using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// The CSV file of <c>token import</c>: a header line naming the columns (<c>user,realm,email,pin</c> and optionally
/// <c>otp_length,hash,description</c>, in any order), then one token per line. Every row is checked with
/// <see cref="TokenFieldRules"/> before anything is stored; the first bad one is an error naming the file, its line
/// (the header is line 1) and its column. A PIN is never part of a message.
/// </summary>
internal static class TokenImportFile
{
    private static readonly TokenField[] s_required = [TokenField.User, TokenField.Realm, TokenField.Email, TokenField.Pin];

    private static readonly TokenField[] s_optional = [TokenField.OtpLength, TokenField.Hash, TokenField.Description];

    public static string ExpectedHeader { get; } =
        string.Join(",", s_required.Select(TokenFieldNames.Column)) + "[," + string.Join(",", s_optional.Select(TokenFieldNames.Column)) + "]";

    /// <summary>Reads and checks every row; <paramref name="name"/> is how errors call the file.</summary>
    public static IReadOnlyList<(int Line, NewTokenInput Input)> Read(TextReader text, string name, RealmSettings realms, int defaultOtpLength)
    {
        try
        {
            return ReadRows(new CsvReader(text), name, realms, defaultOtpLength);
        }
        catch (CsvFormatException ex)
        {
            throw Error(name, ex.Line, ex.Message);
        }
    }

    private static List<(int Line, NewTokenInput Input)> ReadRows(CsvReader csv, string name, RealmSettings realms, int defaultOtpLength)
    {
        var header = csv.Read();
        if (header is null || header.IsBlank)
        {
            throw Error(name, 1, $"the first line must be the header {ExpectedHeader}");
        }

        var columns = Columns(header, name);
        var rows = new List<(int Line, NewTokenInput Input)>();
        var lines = new Dictionary<UserIdentity, int>();
        var blankLine = 0;
        while (csv.Read() is { } record)
        {
            if (record.IsBlank)
            {
                // Empty lines may end the file; one between rows is an error at its own line.
                blankLine = blankLine == 0 ? record.Line : blankLine;
                continue;
            }

            if (blankLine != 0)
            {
                throw Error(name, blankLine, "an empty line between rows");
            }

            if (record.Fields.Count != header.Fields.Count)
            {
                throw Error(name, record.Line, $"{record.Fields.Count} fields, but the header has {header.Fields.Count} columns");
            }

            var input = Validate(record, columns, name, realms, defaultOtpLength);
            var identity = new UserIdentity(input.User, input.Realm);
            if (lines.TryGetValue(identity, out var first))
            {
                throw Error(name, record.Line, TokenField.User, $"{identity} is already on line {first}");
            }

            lines.Add(identity, record.Line);
            rows.Add((record.Line, input));
        }

        return rows;
    }

    // The field index of every column the header names (-1: an optional column it leaves out).
    private static Dictionary<TokenField, int> Columns(CsvRecord header, string name)
    {
        var known = s_required.Concat(s_optional).ToDictionary(TokenFieldNames.Column);
        var columns = new Dictionary<TokenField, int>();
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var column = header.Fields[i];
            if (!known.TryGetValue(column, out var field))
            {
                throw Error(name, 1, $"unknown column \"{column}\" (the header is {ExpectedHeader}, in lower case)");
            }

            if (!columns.TryAdd(field, i))
            {
                throw Error(name, 1, $"column \"{column}\" appears twice");
            }
        }

        var missing = s_required.Where(f => !columns.ContainsKey(f)).Select(f => $"\"{TokenFieldNames.Column(f)}\"").ToList();
        if (missing.Count > 0)
        {
            throw Error(name, 1, $"missing column{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)} (the header is {ExpectedHeader})");
        }

        foreach (var field in s_optional)
        {
            columns.TryAdd(field, -1);
        }

        return columns;
    }

    private static NewTokenInput Validate(CsvRecord record, Dictionary<TokenField, int> columns, string name, RealmSettings realms, int defaultOtpLength)
    {
        // An empty optional cell, like an absent column, takes the default; an empty realm is the default realm.
        string? Cell(TokenField field) => columns[field] < 0 || record.Fields[columns[field]].Length == 0 ? null : record.Fields[columns[field]];
        string Required(TokenField field) => record.Fields[columns[field]];

        try
        {
            return TokenFieldRules.Validate(
                Required(TokenField.User), Cell(TokenField.Realm), Required(TokenField.Email), Required(TokenField.Pin),
                Cell(TokenField.OtpLength), Cell(TokenField.Hash), Cell(TokenField.Description), realms, defaultOtpLength);
        }
        catch (TokenFieldException ex)
        {
            // Never a cell's value: with shifted columns it could be a PIN.
            throw Error(name, record.Line, ex.Field, ex.MessageWithoutValue);
        }
    }

    private static CommandLineException Error(string name, int line, string message) => new($"{name} line {line}: {message}");

    private static CommandLineException Error(string name, int line, TokenField field, string message) =>
        new($"{name} line {line}, column {TokenFieldNames.Column(field)}: {message}");
}
