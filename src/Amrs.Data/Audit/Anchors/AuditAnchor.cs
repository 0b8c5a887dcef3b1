using Amrs.Core.Audit;

namespace Amrs.Data.Audit.Anchors;

/// <summary>One line of the anchor file: the chain's head as it was at <see cref="AnchoredAt"/>.</summary>
public sealed record AuditAnchor(int Line, AuditChainHead Head, DateTimeOffset AnchoredAt);

/// <summary>What the anchor file holds: the anchors in the order written, and the lines that could not be read.</summary>
public sealed record AuditAnchorRead(IReadOnlyList<AuditAnchor> Anchors, IReadOnlyList<int> UnreadableLines)
{
    public static AuditAnchorRead Empty { get; } = new([], []);
}

/// <summary>
/// The trail held against the anchor file: how many anchors were checked and the first that the trail no longer
/// matches (cut back or rewritten after it was anchored). A file that could not be read at all, or lines of it that
/// could not, also fail the check: a damaged anchor file is itself a sign of tampering.
/// </summary>
public sealed record AuditAnchorCheck(string File, int Checked, AuditAnchorMismatch? FirstMismatch, IReadOnlyList<int> UnreadableLines, string? FileError = null)
{
    public bool Holds => FirstMismatch is null && UnreadableLines.Count == 0 && FileError is null;

    /// <summary>One sentence for the auditor.</summary>
    public string Summary => FileError is not null
        ? $"The anchor file {File} could not be read: {FileError}"
        : FirstMismatch is { } mismatch
            ? mismatch.Reason
            : UnreadableLines.Count > 0
                ? $"{(UnreadableLines.Count == 1 ? "Line" : "Lines")} {string.Join(", ", UnreadableLines.Take(10))}{(UnreadableLines.Count > 10 ? ", ..." : "")} of the anchor file {File} {(UnreadableLines.Count == 1 ? "is not an anchor" : "are not anchors")}: the file was edited."
                : Checked == 0
                    ? $"No anchors yet in {File}."
                    : $"All {Checked:N0} anchored heads in {File} are still in the trail, unchanged.";
}

/// <summary>An anchor the trail no longer matches, and what that means.</summary>
public sealed record AuditAnchorMismatch(AuditAnchor Anchor, string Reason);
