using NUnit.Framework;
using RadiusEmailOtp.Cli;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary>RFC 4180 CSV, as <c>token import</c> reads it.</summary>
public sealed class CsvReaderTests
{
    [Test]
    public void Plain_fields_are_split_at_commas_and_records_at_line_feeds()
    {
        var records = ReadAll("a,b,c\nd,,f\n");

        Assert.That(records.Select(r => r.Fields), Is.EqualTo(new[] { new[] { "a", "b", "c" }, new[] { "d", "", "f" } }));
        Assert.That(records.Select(r => r.Line), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void Crlf_ends_a_record_like_lf_and_a_last_line_without_one_is_read()
    {
        var records = ReadAll("a,b\r\nc,d\r\ne,f");

        Assert.That(records.Select(r => r.Fields), Is.EqualTo(new[] { new[] { "a", "b" }, new[] { "c", "d" }, new[] { "e", "f" } }));
    }

    [Test]
    public void A_quoted_field_holds_commas_doubled_quotes_and_line_breaks()
    {
        // RFC 4180 §2 rules 5 to 7.
        var records = ReadAll("\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\"\nnext,\"\"\n");

        Assert.That(records[0].Fields, Is.EqualTo(new[] { "a,b", "say \"hi\"", "two\r\nlines" }));
        Assert.That(records[1].Fields, Is.EqualTo(new[] { "next", "" }));
        Assert.That(records[1].Line, Is.EqualTo(3), "a record's line counts the line breaks inside quotes before it");
    }

    [Test]
    public void A_byte_order_mark_before_the_header_is_skipped()
    {
        var records = ReadAll("\uFEFFuser,pin\n");

        Assert.That(records[0].Fields, Is.EqualTo(new[] { "user", "pin" }));
    }

    [Test]
    public void An_empty_line_is_a_blank_record_and_a_quoted_empty_field_is_not()
    {
        var records = ReadAll("a\n\n\"\"\n");

        Assert.That(records.Select(r => r.IsBlank), Is.EqualTo(new[] { false, true, false }));
        Assert.That(records[1].Line, Is.EqualTo(2));
    }

    [Test]
    public void A_carriage_return_without_a_line_feed_is_part_of_the_field()
    {
        var records = ReadAll("a\rb,c\n");

        Assert.That(records.Single().Fields, Is.EqualTo(new[] { "a\rb", "c" }));
    }

    [TestCase("a,\"open\nb,c\n", 1, "not closed")]
    [TestCase("ok\nx,\"ab\"c\n", 2, "after a closing quote")]
    [TestCase("ok\nok\nab\"c,d\n", 3, "quote inside an unquoted field")]
    public void Malformed_text_is_an_error_at_its_line(string text, int line, string message)
    {
        var ex = Assert.Throws<CsvFormatException>(() => ReadAll(text));

        Assert.That(ex!.Line, Is.EqualTo(line));
        Assert.That(ex.Message, Does.Contain(message));
    }

    [Test]
    public void Records_longer_than_the_read_buffer_are_read_whole()
    {
        var longField = new string('x', 40_000);

        var records = ReadAll($"{longField},\"{longField}\"\nend\n");

        Assert.That(records[0].Fields.Select(f => f.Length), Is.EqualTo(new[] { 40_000, 40_000 }));
        Assert.That(records[1].Fields, Is.EqualTo(new[] { "end" }));
    }

    [Test]
    public void Empty_input_has_no_records()
    {
        Assert.That(new CsvReader(new StringReader(string.Empty)).Read(), Is.Null);
    }

    private static List<CsvRecord> ReadAll(string text)
    {
        var reader = new CsvReader(new StringReader(text));
        var records = new List<CsvRecord>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        return records;
    }
}
