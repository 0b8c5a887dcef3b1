using System.Text;
using Amrs.Core.Audit;
using Amrs.Data.Audit.Export;

namespace Amrs.Data.Tests.Audit;

public sealed class AuditCsvExportTests
{
    private const string HeaderLine =
        "Sequence,RecordedAt,ActorId,ActorName,ActorRole,Action,EntityType,EntityId,PatientId,Outcome,Details,PreviousHash,Hash";

    [Fact]
    public void Export_starts_with_the_header_row_and_ends_rows_with_crlf()
    {
        var csv = AuditCsvExport.ToCsv(AuditExportSamples.Trail());

        Assert.StartsWith(HeaderLine + "\r\n", csv, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void Commas_quotes_and_line_breaks_are_quoted_with_quotes_doubled()
    {
        Assert.Equal("\"Rossi, Ana \"\"Dr.\"\"\"", AuditCsvExport.Escape("Rossi, Ana \"Dr.\""));
        Assert.Equal("\"a\nb\"", AuditCsvExport.Escape("a\nb"));
        Assert.Equal("\"a\rb\"", AuditCsvExport.Escape("a\rb"));
        Assert.Equal("plain text", AuditCsvExport.Escape("plain text"));
        Assert.Equal("", AuditCsvExport.Escape(""));

        var csv = AuditCsvExport.ToCsv(AuditExportSamples.Trail());
        Assert.Contains(",\"Rossi, Ana \"\"Dr.\"\"\",Clinician,", csv, StringComparison.Ordinal);
        Assert.Contains("\"{\"\"note\"\":\"\"line one\\nline two\"\",\"\"tracks\"\":3}\"", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"open\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"open\"\")\"")]
    [InlineData("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tTAB", "'\tTAB")]
    [InlineData("'quoted already", "''quoted already")]
    [InlineData("Dr. A = B", "Dr. A = B")]
    public void A_field_a_spreadsheet_would_run_as_a_formula_is_written_as_text_and_reads_back_as_recorded(string recorded, string written)
    {
        Assert.Equal(written, AuditCsvExport.Escape(recorded));

        var first = AuditExportSamples.Trail()[0];
        var entry = AuditChain.Seal(new AuditDraft(first.RecordedAt, first.ActorId, recorded, first.ActorRole, first.Action,
            first.EntityType, recorded, recorded, first.Outcome, first.Details), null);
        var row = ParseRfc4180(AuditCsvExport.ToCsv([entry]))[1];
        var back = row.Select(AuditCsvExport.Unneutralise).ToList();

        Assert.Equal(AuditCsvExport.Fields(entry), back);
        Assert.Equal(entry.Hash, AuditChain.ComputeHash(entry with { ActorName = back[3], EntityId = back[7], PatientId = back[8] }));
    }

    [Fact]
    public void Every_field_round_trips_through_an_rfc4180_reader()
    {
        var trail = AuditExportSamples.Trail();

        var rows = ParseRfc4180(AuditCsvExport.ToCsv(trail));

        Assert.Equal(trail.Count + 1, rows.Count);
        Assert.Equal(AuditCsvExport.Header, rows[0]);
        for (var i = 0; i < trail.Count; i++)
        {
            var row = rows[i + 1];
            Assert.Equal(13, row.Count);
            Assert.Equal(trail[i].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), row[0]);
            Assert.Equal(trail[i].RecordedAt, DateTimeOffset.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(trail[i].ActorName, row[3]);
            Assert.Equal(trail[i].Action, row[5]);
            Assert.Equal(trail[i].PatientId ?? "", row[8]);
            Assert.Equal(trail[i].Outcome.ToString(), row[9]);
            Assert.Equal(trail[i].Details, row[10]);
            Assert.Equal(trail[i].PreviousHash, row[11]);
            Assert.Equal(trail[i].Hash, row[12]);
        }
        Assert.Equal("2026-05-01T09:00:00.250Z", rows[1][1]);
    }

    [Fact]
    public async Task Streamed_export_is_utf8_without_bom_and_equals_the_string_export()
    {
        var trail = AuditExportSamples.Trail();
        using var output = new MemoryStream();

        await AuditCsvExport.WriteAsync(AuditExportSamples.Stream(trail), output, TestContext.Current.CancellationToken);

        var bytes = output.ToArray();
        Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }));
        Assert.Equal(AuditCsvExport.ToCsv(trail), Encoding.UTF8.GetString(bytes));
        Assert.True(bytes.AsSpan().IndexOf("Jens M\u00fcller"u8) >= 0, "the name is not written as UTF-8");
    }

    [Fact]
    public void An_empty_trail_exports_only_the_header()
    {
        Assert.Equal(HeaderLine + "\r\n", AuditCsvExport.ToCsv([]));
    }

    // A minimal RFC 4180 reader, written for the test so the export is checked against the format, not itself.
    private static List<List<string>> ParseRfc4180(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else field.Append(c);
        }
        Assert.False(quoted, "unterminated quoted field");
        Assert.Empty(row);
        return rows;
    }
}
