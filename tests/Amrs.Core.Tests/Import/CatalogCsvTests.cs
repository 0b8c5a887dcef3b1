using System.Text;
using Amrs.Core.Catalog;
using Amrs.Core.Import;
using static Amrs.Core.Tests.Import.CsvText;

namespace Amrs.Core.Tests.Import;

public sealed class CatalogCsvTests
{
    private const string Header = "track_id,title,artist,valence,arousal";

    [Fact]
    public void Only_the_required_columns_give_tracks_with_every_optional_field_null()
    {
        var result = CatalogCsv.Read(Utf8($"{Header}\nT1,Moon River,Andy Hartley,0.6,0.3\n"));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var track = Assert.Single(result.Values);
        Assert.Equal(new Track("T1", "Moon River", "Andy Hartley", 0.6, 0.3), track);
        Assert.Null(track.Audio);
        Assert.Null(track.Year);
    }

    [Fact]
    public void Quoted_fields_keep_commas_quotes_line_breaks_and_non_ascii_text()
    {
        var csv = $"{Header},genre\n"
            + "T1,\"Goodbye, Blue Sky\",\"The \"\"Quiet\"\" Trio\",0.4,0.2,Folk\n"
            + "T2,\"Line one\nline two\",Zoë Müller,0.5,0.5,\n"
            + "T3,Café Łąka São Paulo,Søren Nørgaard,0.7,0.6,Chanson\n";

        var result = CatalogCsv.Read(Utf8(csv));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var tracks = result.Values;
        Assert.Equal("Goodbye, Blue Sky", tracks[0].Title);
        Assert.Equal("The \"Quiet\" Trio", tracks[0].Artist);
        Assert.Equal("Line one\nline two", tracks[1].Title);
        Assert.Null(tracks[1].Genre);
        Assert.Equal("Café Łąka São Paulo", tracks[2].Title);
        // The record after a two-line record starts on physical line 5.
        Assert.Equal([2, 3, 5], result.Records.Select(r => r.Line));
    }

    [Fact]
    public void A_byte_order_mark_crlf_line_ends_and_trailing_blank_lines_are_accepted()
    {
        var stream = Bytes([0xEF, 0xBB, 0xBF], Ascii($"{Header}\r\nT1,A,B,0.1,0.2\r\n  \r\n\r\n"));

        var result = CatalogCsv.Read(stream);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal("T1", Assert.Single(result.Values).TrackId);
    }

    [Fact]
    public void A_header_without_a_required_column_names_the_missing_column()
    {
        var result = CatalogCsv.Read(Utf8("track_id,title,valence,arousal\nT1,A,0.1,0.2\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Line);
        Assert.Equal("artist", error.Column);
        Assert.Empty(result.Records);
    }

    [Fact]
    public void Unknown_and_repeated_columns_are_rejected()
    {
        var result = CatalogCsv.Read(Utf8($"{Header},tempoo,valence\nT1,A,B,0.1,0.2,120,0.1\n"));

        Assert.Contains(result.Errors, e => e.Column == "tempoo" && e.Message.Contains("unknown", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Column == "valence" && e.Message.Contains("twice", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_file_is_reported()
    {
        var result = CatalogCsv.Read(Utf8(""));

        Assert.Contains("empty", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("T1,A,B,1.5,0.2", "valence", "out of range")]
    [InlineData("T1,A,B,0.5,-0.1", "arousal", "out of range")]
    [InlineData("T1,A,B,\"0,5\",0.2", "valence", "not a number")]
    [InlineData("T1,A,B,NaN,0.2", "valence", "not a number")]
    [InlineData("T1,,B,0.5,0.2", "title", "required")]
    [InlineData(",A,B,0.5,0.2", "track_id", "required")]
    [InlineData(" T1,A,B,0.5,0.2", "track_id", "spaces")]
    [InlineData("T1,A,B,0.5,", "arousal", "required")]
    public void Bad_cells_are_reported_with_line_column_and_reason(string row, string column, string reason)
    {
        var result = CatalogCsv.Read(Utf8($"{Header}\nT0,Fine,Row,0.5,0.5\n{row}\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal("T0", Assert.Single(result.Values).TrackId);
    }

    [Theory]
    [InlineData("year", "abc", "whole number")]
    [InlineData("year", "1950.5", "whole number")]
    [InlineData("mode", "2", "out of range")]
    [InlineData("tempo", "0", "out of range")]
    [InlineData("energy", "1.01", "out of range")]
    [InlineData("loudness", "12", "out of range")]
    [InlineData("duration_seconds", "-3", "out of range")]
    public void Bad_optional_cells_are_reported(string column, string value, string reason)
    {
        var result = CatalogCsv.Read(Utf8($"{Header},{column}\nT1,A,B,0.5,0.5,{value}\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_id_points_to_the_first_occurrence()
    {
        var result = CatalogCsv.Read(Utf8($"{Header}\nT1,A,B,0.5,0.5\nT2,A,B,0.5,0.5\nT1,C,D,0.5,0.5\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((4, "track_id"), (error.Line, error.Column));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_is_rejected()
    {
        var result = CatalogCsv.Read(Utf8($"{Header}\nT1,A,B,0.5\nT2,A,B,0.5,0.5,extra\n"));

        Assert.Equal([2, 3], result.Errors.Select(e => e.Line));
        Assert.All(result.Errors, e => Assert.Contains("expected 5 fields", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_utf8_is_reported_on_its_line_and_the_other_rows_still_read()
    {
        var stream = Bytes(Ascii($"{Header}\nT1,A,B,0.5,0.5\nT2,Caf"), [0xC3, 0x28], Ascii(",B,0.5,0.5\nT3,C,D,0.1,0.1\n"));

        var result = CatalogCsv.Read(stream);

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Equal(["T1", "T3"], result.Values.Select(t => t.TrackId));
    }

    [Fact]
    public void A_header_that_is_not_utf8_stops_the_import()
    {
        var stream = Bytes(Ascii("track_id,t"), [0xFF], Ascii("tle,artist,valence,arousal\nT1,A,B,0.5,0.5\n"));

        var result = CatalogCsv.Read(stream);

        Assert.Equal(1, result.Errors[0].Line);
        Assert.Contains("UTF-8", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Empty(result.Records);
    }

    [Fact]
    public void A_utf16_file_is_refused_with_a_clear_message()
    {
        var stream = new MemoryStream(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes($"{Header}\n")).ToArray());

        var result = CatalogCsv.Read(stream);

        Assert.Contains("UTF-16", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_quoting_is_reported()
    {
        var stray = CatalogCsv.Read(Utf8($"{Header}\nT1,Say \"hi\",B,0.5,0.5\n"));
        var trailing = CatalogCsv.Read(Utf8($"{Header}\nT1,\"Hi\" there,B,0.5,0.5\n"));
        var unclosed = CatalogCsv.Read(Utf8($"{Header}\nT1,A,B,0.5,0.5\nT2,\"never closed,B,0.5,0.5\nT3,A,B,0.5,0.5\n"));

        Assert.Contains("unquoted field", Assert.Single(stray.Errors).Message, StringComparison.Ordinal);
        Assert.Contains("closing quote", Assert.Single(trailing.Errors).Message, StringComparison.Ordinal);
        var error = Assert.Single(unclosed.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_messy_real_world_file_reads_as_expected()
    {
        using var file = File.OpenRead(Fixture("messy_catalog.csv"));

        var result = CatalogCsv.Read(file);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var tracks = result.Values.ToDictionary(t => t.TrackId);
        Assert.Equal(4, tracks.Count);
        Assert.Equal("Señorita, \"Live\" at Olympia", tracks["pm-002"].Title);
        Assert.Equal("Dvořák & Ólafsdóttir", tracks["pm-002"].Artist);
        Assert.Equal("Notes:\r\nrecorded in one take", tracks["pm-003"].Title);
        Assert.Equal(new AudioDescriptors(Energy: 0.4, Tempo: 96.5), tracks["pm-001"].Audio);
        Assert.Null(tracks["pm-004"].Audio);
        Assert.Null(tracks["pm-004"].Year);
    }

    [Fact]
    public void Written_catalogs_read_back_identically()
    {
        Track[] tracks =
        [
            new("T1", "Goodbye, \"Blue\" Sky", "Zoë, Müller", 0.25, 0.125, 1962, "Jazz", 184,
                new AudioDescriptors(0.3, 101.5, 0.7, 0.1, 0.45, -11.25, 1)),
            new("T2", "Two\r\nlines", " leading blank", 1.0 / 3, 0.1 + 0.2),
            new("T3", "Half known", "X", 0, 1, Audio: new AudioDescriptors(Mode: 0)),
        ];
        using var stream = new MemoryStream();
        CatalogCsv.Write(stream, tracks);
        stream.Position = 0;

        var result = CatalogCsv.Read(stream);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(tracks, result.Values);
    }
}
