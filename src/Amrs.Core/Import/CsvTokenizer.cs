using System.Text;

namespace Amrs.Core.Import;

/// <summary>A raw CSV record: its fields and the physical line it starts on.</summary>
internal readonly record struct RawRecord(int Line, string[] Fields);

/// <summary>
/// Reads RFC 4180 records from a UTF-8 byte stream, one record at a time (memory bounded by the longest record).
/// Bytes are split at '\n' (never part of a multi-byte UTF-8 sequence) and each physical line is decoded
/// strictly, so invalid UTF-8 is reported on the exact line it occurs. A leading UTF-8 byte order mark is
/// skipped; a UTF-16 one is refused. Line breaks inside quoted fields are kept as they were (CRLF or LF).
/// Blank (empty or whitespace-only) lines between records are skipped.
/// </summary>
internal sealed class CsvTokenizer
{
    /// <summary>The longest physical line accepted, so a binary or runaway file cannot exhaust memory.</summary>
    public const int MaxLineBytes = 1 << 20;

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly List<CsvError> _errors;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _pending = new();
    private int _start;
    private int _end;
    private bool _eof;
    private int _line;
    private bool _fatal;

    public CsvTokenizer(Stream stream, List<CsvError> errors)
    {
        _stream = stream;
        _errors = errors;
    }

    public IEnumerable<RawRecord> Records()
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        while (!_fatal && ReadLine(out var text, out var terminator))
        {
            if (text is null)
                continue; // Invalid UTF-8: already reported for this line.
            var startLine = _line;
            if (string.IsNullOrWhiteSpace(text))
                continue;

            fields.Clear();
            field.Clear();
            var inQuotes = false;
            var afterQuote = false;
            string? problem = null;
            while (true)
            {
                for (var i = 0; i < text.Length && problem is null; i++)
                {
                    var c = text[i];
                    if (inQuotes)
                    {
                        if (c != '"')
                            field.Append(c);
                        else if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i++;
                        }
                        else
                        {
                            inQuotes = false;
                            afterQuote = true;
                        }
                    }
                    else if (c == ',')
                    {
                        fields.Add(field.ToString());
                        field.Clear();
                        afterQuote = false;
                    }
                    else if (afterQuote)
                        problem = "text after a closing quote; a quote inside a field must be doubled (\"\")";
                    else if (c == '"')
                    {
                        if (field.Length == 0)
                            inQuotes = true;
                        else
                            problem = "a quote inside an unquoted field; quote the whole field and double the quote";
                    }
                    else
                        field.Append(c);
                }
                if (problem is not null || !inQuotes)
                    break;
                // The quoted field goes on over the line break.
                field.Append(terminator);
                if (!ReadLine(out text, out terminator))
                {
                    problem = _fatal
                        ? "the record could not be read (see the error above)"
                        : "a quoted field is not closed before the end of the file";
                    break;
                }
                if (text is null)
                {
                    problem = "the record could not be read (see the encoding error)";
                    break;
                }
            }

            if (problem is not null)
            {
                _errors.Add(new CsvError(startLine, null, problem));
                continue;
            }
            fields.Add(field.ToString());
            yield return new RawRecord(startLine, fields.ToArray());
        }
    }

    /// <summary>
    /// Reads the next physical line; text is null when it was not valid UTF-8 (the error is recorded).
    /// Returns false at the end of the stream.
    /// </summary>
    private bool ReadLine(out string? text, out string terminator)
    {
        text = null;
        terminator = "";
        _pending.SetLength(0);
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                _pending.Write(_buffer, _start, newline - _start);
                _start = newline + 1;
                terminator = "\n";
                break;
            }
            _pending.Write(_buffer, _start, _end - _start);
            _start = _end = 0;
            if (_pending.Length > MaxLineBytes)
            {
                _errors.Add(new CsvError(_line + 1, null, $"the line is longer than {MaxLineBytes} bytes; is this a CSV file?"));
                _fatal = true;
                return false;
            }
            if (_eof)
            {
                if (_pending.Length == 0)
                    return false;
                break;
            }
            _end = _stream.Read(_buffer, 0, _buffer.Length);
            if (_end == 0)
                _eof = true;
        }

        _line++;
        var bytes = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
        if (terminator == "\n" && bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
            terminator = "\r\n";
        }
        if (_line == 1)
        {
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                bytes = bytes[3..];
            else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            {
                _errors.Add(new CsvError(1, null, "the file is UTF-16 encoded; save it as UTF-8"));
                _fatal = true;
                return false;
            }
        }
        try
        {
            text = _strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            _errors.Add(new CsvError(_line, null, "the line is not valid UTF-8 (an invalid byte sequence); save the file as UTF-8"));
        }
        return true;
    }
}
