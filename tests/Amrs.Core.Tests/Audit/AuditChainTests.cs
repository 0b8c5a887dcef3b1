using System.Text;
using Amrs.Core.Audit;
using Amrs.Core.Security;

namespace Amrs.Core.Tests.Audit;

public sealed class AuditChainTests
{
    // Both vectors were written out by hand from the documented canonical form and hashed with `sha256sum`,
    // independently of this code. If either changes, every stored trail stops verifying.
    private const string FirstCanonical =
        "12:amrs-audit/1,1:1,13:1777638615123,3:u-1,15:Dr. Ana Müller,9:Clinician,17:playlist.approval," +
        "8:Playlist,4:pl-7,6:P-0042,7:success,12:{\"tracks\":3}," +
        "64:0000000000000000000000000000000000000000000000000000000000000000,";

    private const string FirstHash = "50959721f32753c0f6070df6828042d393446d02877b6dd93b3c14f152249863";

    private const string SecondCanonical =
        "12:amrs-audit/1,1:2,13:1777638615124,6:system,11:AMRS Clinic,6:System,13:guard.refused,7:Session," +
        "0:,-1:,7:refused,2:{},64:" + FirstHash + ",";

    private const string SecondHash = "59a8018b7d82e2d5380a67e63622eae42de304f109d7740090f2124ac040e4fb";

    // 14:30:15.123 and 4567 ticks at UTC+2: the sub-millisecond ticks and the offset must not reach the hash.
    private static readonly DateTimeOffset _firstTime =
        new DateTimeOffset(2026, 5, 1, 14, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567);

    private static AuditDraft FirstDraft() => new(
        _firstTime, "u-1", "Dr. Ana Müller", Roles.Clinician, AuditActions.PlaylistApproved,
        AuditEntityTypes.Playlist, "pl-7", "P-0042", AuditOutcome.Success, "{\"tracks\":3}");

    private static AuditDraft SecondDraft() => new(
        new DateTimeOffset(2026, 5, 1, 12, 30, 15, 124, TimeSpan.Zero), AuditActors.SystemId, AuditActors.SystemName,
        AuditActors.SystemRole, AuditActions.GuardRefused, AuditEntityTypes.Session, "", null, AuditOutcome.Refused);

    [Fact]
    public void Canonical_content_of_a_first_entry_is_the_hand_written_form()
    {
        var first = AuditChain.Seal(FirstDraft(), previous: null);

        Assert.Equal(FirstCanonical, Encoding.UTF8.GetString(AuditChain.CanonicalContent(first)!));
        Assert.Equal(216, AuditChain.CanonicalContent(first)!.Length);
    }

    [Fact]
    public void Hash_of_the_fixed_vector_is_stable()
    {
        var first = AuditChain.Seal(FirstDraft(), previous: null);
        var second = AuditChain.Seal(SecondDraft(), first);

        Assert.Equal(FirstHash, first.Hash);
        Assert.Equal(SecondCanonical, Encoding.UTF8.GetString(AuditChain.CanonicalContent(second)!));
        Assert.Equal(SecondHash, second.Hash);
    }

    [Fact]
    public void Seal_numbers_from_one_links_to_genesis_and_keeps_whole_utc_milliseconds()
    {
        var first = AuditChain.Seal(FirstDraft(), previous: null);
        var second = AuditChain.Seal(SecondDraft(), first);

        Assert.Equal(1, first.Sequence);
        Assert.Equal(AuditChain.GenesisHash, first.PreviousHash);
        Assert.Equal(new string('0', 64), AuditChain.GenesisHash);
        Assert.Equal(2, second.Sequence);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal(TimeSpan.Zero, first.RecordedAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 12, 30, 15, 123, TimeSpan.Zero), first.RecordedAt);
        Assert.Equal(0, first.RecordedAt.UtcTicks % TimeSpan.TicksPerMillisecond);
    }

    [Fact]
    public void Hash_survives_a_round_trip_through_a_column_of_unix_milliseconds_or_a_local_offset()
    {
        var entry = AuditChain.Seal(FirstDraft(), previous: null);

        var fromLong = entry with { RecordedAt = DateTimeOffset.FromUnixTimeMilliseconds(entry.RecordedAtUnixMilliseconds) };
        var fromOtherOffset = entry with { RecordedAt = entry.RecordedAt.ToOffset(TimeSpan.FromHours(-5)) };

        Assert.Equal(entry.Hash, AuditChain.ComputeHash(fromLong));
        Assert.Equal(entry.Hash, AuditChain.ComputeHash(fromOtherOffset));
    }

    [Fact]
    public void Hash_does_not_depend_on_the_current_culture()
    {
        var original = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
            Assert.Equal(FirstHash, AuditChain.Seal(FirstDraft(), previous: null).Hash);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = original;
        }
    }

    [Fact]
    public void Null_and_empty_patient_and_shifted_field_boundaries_hash_differently()
    {
        var withNull = AuditChain.Seal(FirstDraft() with { PatientId = null }, previous: null);
        var withEmpty = AuditChain.Seal(FirstDraft() with { PatientId = "" }, previous: null);
        var shiftedA = AuditChain.Seal(FirstDraft() with { EntityType = "Play", EntityId = "list" }, previous: null);
        var shiftedB = AuditChain.Seal(FirstDraft() with { EntityType = "Playl", EntityId = "ist" }, previous: null);

        Assert.NotEqual(withNull.Hash, withEmpty.Hash);
        Assert.NotEqual(shiftedA.Hash, shiftedB.Hash);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Seal_refuses_details_that_are_not_a_json_object(string details)
    {
        var error = Assert.Throws<ArgumentException>(() => AuditChain.Seal(FirstDraft() with { Details = details }, previous: null));
        Assert.Contains("JSON object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seal_refuses_missing_actor_or_action_and_text_that_is_not_valid_utf16()
    {
        Assert.Throws<ArgumentException>(() => AuditChain.Seal(FirstDraft() with { ActorId = " " }, previous: null));
        Assert.Throws<ArgumentException>(() => AuditChain.Seal(FirstDraft() with { Action = "" }, previous: null));
        var loneSurrogate = AuditChain.Seal(FirstDraft(), previous: null) with { ActorName = "Ana \uD800" };
        Assert.Null(AuditChain.ComputeHash(loneSurrogate));
        Assert.Throws<ArgumentException>(() => AuditChain.Seal(FirstDraft() with { ActorName = "Ana \uD800" }, previous: null));
    }

    [Fact]
    public void Details_helper_writes_a_json_object()
    {
        var details = AuditDetails.Of(new { PlaylistId = "pl-1", Tracks = 3 });

        Assert.Equal("{\"playlistId\":\"pl-1\",\"tracks\":3}", details);
        Assert.True(AuditDetails.IsJsonObject(details));
    }

    [Fact]
    public void Every_action_constant_is_distinct()
    {
        Assert.Equal(AuditActions.All.Count, AuditActions.All.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(AuditActions.GuardRefused, AuditActions.All);
    }
}
