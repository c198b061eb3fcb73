using System.Text;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// Reads RFC 4180 CSV one record at a time: fields separated by commas, records by CRLF or LF; a field in double quotes
/// may hold commas, line breaks and quotes written twice (§2). A UTF-8 byte order mark before the first record is
/// skipped. Stricter than §2 allows readers to be: a quote inside an unquoted field, or text after a closing quote, is
/// an error rather than a guess, because an import that guesses may store a wrong PIN.
/// </summary>
internal sealed class CsvReader(TextReader reader)
{
    private const int End = -1;

    private readonly TextReader _reader = reader;
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private int _line = 1;
    private bool _started;

    /// <summary>The next record, or null at the end of the input; throws <see cref="CsvFormatException"/> on malformed text.</summary>
    public CsvRecord? Read()
    {
        if (!_started)
        {
            _started = true;
            if (Peek() == '\uFEFF')
            {
                Next();
            }
        }

        if (Peek() == End)
        {
            return null;
        }

        var line = _line;
        var fields = new List<string>();
        var quoted = false;
        while (true)
        {
            if (Peek() == '"')
            {
                quoted = true;
                ReadQuotedField();
            }
            else
            {
                ReadPlainField();
            }

            fields.Add(_field.ToString());
            _field.Clear();
            var separator = Next();
            if (separator == ',')
            {
                continue;
            }

            // A line feed (a CRLF's CR was taken with the field) or the end of the input ends the record.
            return new CsvRecord(line, fields, isBlank: !quoted && fields is [{ Length: 0 }]);
        }
    }

    private void ReadPlainField()
    {
        while (true)
        {
            var c = Peek();
            if (c is ',' or '\n' or End)
            {
                return;
            }

            if (c == '"')
            {
                throw new CsvFormatException(_line, "a quote inside an unquoted field (quote the whole field and write the quote twice: \"a\"\"b\")");
            }

            Next();
            if (c == '\r' && Peek() == '\n')
            {
                return;
            }

            _field.Append((char)c);
        }
    }

    private void ReadQuotedField()
    {
        var start = _line;
        Next();
        while (true)
        {
            var c = Next();
            if (c == End)
            {
                throw new CsvFormatException(start, "a quoted field is not closed (its closing quote is missing)");
            }

            if (c == '"')
            {
                if (Peek() != '"')
                {
                    break;
                }

                Next();
            }

            _field.Append((char)c);
        }

        var after = Peek();
        if (after == '\r')
        {
            Next();
            after = Peek();
            if (after == '\n')
            {
                return;
            }
        }

        if (after is not (',' or '\n' or End))
        {
            throw new CsvFormatException(_line, "text after a closing quote (a quote inside a quoted field is written twice: \"a\"\"b\")");
        }
    }

    private int Peek()
    {
        if (_position == _length)
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            if (_length <= 0)
            {
                _length = 0;
                return End;
            }
        }

        return _buffer[_position];
    }

    private int Next()
    {
        var c = Peek();
        if (c != End)
        {
            _position++;
            if (c == '\n')
            {
                _line++;
            }
        }

        return c;
    }
}
