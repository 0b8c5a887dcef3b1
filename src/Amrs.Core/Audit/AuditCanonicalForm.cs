using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Amrs.Core.Audit;

/// <summary>
/// Writes the canonical content of an entry: the exact bytes that are hashed. Version 1 ("amrs-audit/1"):
/// <code>
/// field*        where each field is    &lt;length&gt; ":" &lt;bytes&gt; ","     (a netstring)
///                          or, for null,  "-1:,"
/// </code>
/// <c>&lt;length&gt;</c> is the decimal count of the UTF-8 bytes that follow (ASCII digits, no sign, no padding).
/// Fields, in this order, never reordered:
/// <list type="number">
/// <item>the format tag <c>amrs-audit/1</c></item>
/// <item>Sequence, decimal</item>
/// <item>RecordedAt as Unix milliseconds (UTC), decimal, "-" for instants before 1970</item>
/// <item>ActorId</item><item>ActorName</item><item>ActorRole</item><item>Action</item>
/// <item>EntityType</item><item>EntityId</item><item>PatientId (null allowed)</item>
/// <item>Outcome: <c>success</c>, <c>refused</c> or <c>failure</c></item>
/// <item>Details (the JSON text exactly as stored)</item>
/// <item>PreviousHash</item>
/// </list>
/// Numbers are written with the invariant culture. Text is UTF-8 without normalisation; text that is not
/// valid UTF-16 (a lone surrogate) has no canonical form, so it can never be sealed and never verifies.
/// The length prefix makes the form unambiguous: no choice of field values can make two different entries
/// produce the same bytes.
/// </summary>
internal static class AuditCanonicalForm
{
    public const string FormatTag = "amrs-audit/1";

    private const int FieldOverhead = 13; // up to 10 length digits, ':' and ',', with room to spare
    private const int NumberField = FieldOverhead + 20;

    /// <summary>An upper bound of the canonical length, to size a buffer.</summary>
    public static int MaxLength(AuditEntry entry)
    {
        long chars = FormatTag.Length + Len(entry.ActorId) + Len(entry.ActorName) + Len(entry.ActorRole) +
            Len(entry.Action) + Len(entry.EntityType) + Len(entry.EntityId) + Len(entry.PatientId) +
            Len("failure") + Len(entry.Details) + Len(entry.PreviousHash);
        var max = (chars * 3) + (11 * FieldOverhead) + (2 * NumberField);
        return max > Array.MaxLength ? throw new ArgumentException("The entry is too large to hash.", nameof(entry)) : (int)max;

        static int Len(string? s) => s?.Length ?? 0;
    }

    /// <summary>Writes the canonical bytes; returns their count, or -1 when some text is not valid UTF-16.</summary>
    public static int Write(AuditEntry entry, Span<byte> destination)
    {
        var at = 0;
        var ok = WriteText(FormatTag, destination, ref at)
            && WriteNumber(entry.Sequence, destination, ref at)
            && WriteNumber(entry.RecordedAtUnixMilliseconds, destination, ref at)
            && WriteText(entry.ActorId, destination, ref at)
            && WriteText(entry.ActorName, destination, ref at)
            && WriteText(entry.ActorRole, destination, ref at)
            && WriteText(entry.Action, destination, ref at)
            && WriteText(entry.EntityType, destination, ref at)
            && WriteText(entry.EntityId, destination, ref at)
            && WriteText(entry.PatientId, destination, ref at)
            && WriteText(OutcomeName(entry.Outcome), destination, ref at)
            && WriteText(entry.Details, destination, ref at)
            && WriteText(entry.PreviousHash, destination, ref at);
        return ok ? at : -1;
    }

    /// <summary>The outcome as hashed; fixed strings, so renaming the enum member cannot change old hashes.</summary>
    public static string? OutcomeName(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Success => "success",
        AuditOutcome.Refused => "refused",
        AuditOutcome.Failure => "failure",
        // An undefined value (a corrupted row) has no canonical name; null keeps it distinct from all three.
        _ => null,
    };

    private static bool WriteNumber(long value, Span<byte> destination, ref int at)
    {
        Span<byte> digits = stackalloc byte[20];
        if (!value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture))
            return false;
        return WriteBytes(digits[..length], destination, ref at);
    }

    private static bool WriteBytes(ReadOnlySpan<byte> value, Span<byte> destination, ref int at)
    {
        if (!WriteLength(value.Length, destination, ref at))
            return false;
        value.CopyTo(destination[at..]);
        at += value.Length;
        destination[at++] = (byte)',';
        return true;
    }

    private static bool WriteText(string? value, Span<byte> destination, ref int at)
    {
        if (value is null)
        {
            "-1:,"u8.CopyTo(destination[at..]);
            at += 4;
            return true;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        if (!WriteLength(byteCount, destination, ref at))
            return false;
        var status = Utf8.FromUtf16(value, destination[at..], out _, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done || written != byteCount)
            return false;
        at += written;
        destination[at++] = (byte)',';
        return true;
    }

    private static bool WriteLength(int length, Span<byte> destination, ref int at)
    {
        if (!length.TryFormat(destination[at..], out var written, default, CultureInfo.InvariantCulture))
            return false;
        at += written;
        destination[at++] = (byte)':';
        return true;
    }
}
