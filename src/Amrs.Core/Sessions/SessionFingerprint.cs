using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Amrs.Core.Sessions;

/// <summary>
/// SHA-256 (lower-case hex) of a set of logged sessions, independent of their order: each session's canonical
/// text is hashed, the hashes are sorted and hashed again. Start times count in whole milliseconds (as the
/// database stores them) and numbers in their shortest round-trip form, so a set read back from the database
/// has the fingerprint of the set that was written. Used to tell whether stored sessions are a given world's.
/// Sessions can be added one at a time as they stream (32 bytes are kept per session).
/// </summary>
public sealed class SessionFingerprint
{
    private readonly List<byte[]> _hashes = [];

    public static string Of(IEnumerable<LoggedSession> sessions)
    {
        var fingerprint = new SessionFingerprint();
        foreach (var session in sessions)
            fingerprint.Add(session);
        return fingerprint.Value;
    }

    public int Count => _hashes.Count;

    public void Add(LoggedSession session) => _hashes.Add(Hash(session));

    public string Value
    {
        get
        {
            var sorted = _hashes.ToList();
            sorted.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
            using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var hash in sorted)
                all.AppendData(hash);
            return Convert.ToHexStringLower(all.GetHashAndReset());
        }
    }

    private static byte[] Hash(LoggedSession session)
    {
        var text = new StringBuilder(64 + 48 * session.Steps.Count);
        text.Append(session.SessionId).Append('|').Append(session.PatientId).Append('|')
            .Append(session.StartedAt.ToUnixTimeMilliseconds()).Append('|').Append(session.Mode).Append('|')
            .Append(N(session.Target.Valence)).Append('|').Append(N(session.Target.Arousal));
        foreach (var s in session.Steps.OrderBy(s => s.Position))
        {
            text.Append('\n').Append(s.Position).Append('|').Append(s.TrackId).Append('|').Append(N(s.Engagement)).Append('|')
                .Append(s.Rating).Append('|').Append(N(s.Valence)).Append('|').Append(N(s.Arousal)).Append('|').Append(N(s.Propensity));
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static string N(double? x) => x?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
