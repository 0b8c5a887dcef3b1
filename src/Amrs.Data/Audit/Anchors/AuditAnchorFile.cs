using System.Globalization;
using System.Text;
using Amrs.Core.Audit;

namespace Amrs.Data.Audit.Anchors;

/// <summary>
/// An append-only text file outside the database, one anchor per line: <c>sequence hash anchored-at</c> (the hash is
/// the entry's own, the time UTC, ISO 8601). Lines starting with <c>#</c> are comments. Each anchor is appended with a
/// single write to a file opened for appending, so processes sharing the file never interleave a line.
/// </summary>
public sealed class AuditAnchorFile(string path)
{
    private const string Header =
        "# AMRS Clinic audit anchors: the audit chain's head (entry sequence, its SHA-256, when anchored, UTC).\n" +
        "# Append-only. The clinic checks the trail against every line when an auditor verifies the chain.\n";

    public string Path { get; } = path;

    public async Task AppendAsync(AuditChainHead head, DateTimeOffset anchoredAt, CancellationToken cancellationToken = default)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{head.Sequence} {head.Hash} {anchoredAt.UtcDateTime:O}\n");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path) ?? ".");
        await using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        var bytes = Encoding.UTF8.GetBytes(stream.Position == 0 ? Header + line : line);
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Every anchor in the file (none if it does not exist yet); lines that are not anchors are listed.</summary>
    public async Task<AuditAnchorRead> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path)) return AuditAnchorRead.Empty;
        var anchors = new List<AuditAnchor>();
        var unreadable = new List<int>();
        var number = 0;
        await using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (TryParse(number, line) is { } anchor) anchors.Add(anchor);
            else unreadable.Add(number);
        }
        return new AuditAnchorRead(anchors, unreadable);
    }

    private static AuditAnchor? TryParse(int number, string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 3) return null;
        if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1) return null;
        if (!AuditChain.IsHash(parts[1])) return null;
        if (!DateTimeOffset.TryParseExact(parts[2], "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return null;
        return new AuditAnchor(number, new AuditChainHead(sequence, parts[1]), at.ToUniversalTime());
    }
}
