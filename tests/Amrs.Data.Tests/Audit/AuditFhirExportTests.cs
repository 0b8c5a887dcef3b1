using System.Text;
using Amrs.Core.Audit;
using Amrs.Data.Audit.Export;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Amrs.Data.Tests.Audit;

public sealed class AuditFhirExportTests
{
    private static readonly DateTimeOffset _exportedAt = new DateTimeOffset(2026, 5, 2, 10, 0, 0, 125, TimeSpan.FromHours(2)).AddTicks(9);

    // The SDK's own parser in its default (strict) mode: the export must be valid FHIR R4 JSON for it.
    private static Bundle Parse(string json) => new FhirJsonDeserializer().Deserialize<Bundle>(json);

    [Fact]
    public void Export_parses_back_with_the_sdk_and_carries_the_same_entries()
    {
        var trail = AuditExportSamples.Trail();

        var bundle = Parse(AuditFhirExport.ToJson(trail, _exportedAt));

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        Assert.Equal(new DateTimeOffset(2026, 5, 2, 8, 0, 0, 125, TimeSpan.Zero), bundle.Timestamp);
        var events = bundle.Entry.Select(e => Assert.IsType<AuditEvent>(e.Resource)).ToList();
        Assert.Equal(trail.Count, events.Count);
        for (var i = 0; i < trail.Count; i++)
        {
            var entry = trail[i];
            var auditEvent = events[i];
            var record = auditEvent.Entity[^1];
            Assert.Equal(entry.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), DetailValue(record, "sequence"));
            Assert.Equal(entry.Hash, DetailValue(record, "hash"));
            Assert.Equal(entry.PreviousHash, DetailValue(record, "previousHash"));
            Assert.Equal(entry.Details, DetailValue(record, "details"));
            Assert.Equal(entry.Action, Assert.Single(auditEvent.Subtype).Code);
            Assert.Equal(AuditFhirCodes.ActionSystem, auditEvent.Subtype[0].System);
            Assert.Equal(AuditFhirCodes.Outcome(entry.Outcome), auditEvent.Outcome);
            Assert.Equal(entry.RecordedAt, auditEvent.Recorded);

            var agent = Assert.Single(auditEvent.Agent);
            Assert.Equal(entry.ActorId, agent.Who!.Identifier!.Value);
            Assert.Equal(entry.ActorName, agent.Who!.Display);
            Assert.Equal(entry.ActorRole, Assert.Single(agent.Role).Coding[0].Code);
            Assert.True(agent.Requestor);
            Assert.Equal("AMRS Clinic", auditEvent.Source!.Observer!.Display);
        }
        Assert.Equal(trail[^1].Hash, bundle.Identifier!.Value);
    }

    [Fact]
    public void Outcomes_map_to_fhir_codes_with_a_description_that_carries_the_guards_reason()
    {
        var events = Events(AuditFhirExport.ToJson(AuditExportSamples.Trail(), _exportedAt));

        Assert.Equal(AuditEvent.AuditEventOutcome.N0, events[0].Outcome);
        Assert.Equal("Success", events[0].OutcomeDesc);
        Assert.Equal(AuditEvent.AuditEventOutcome.N4, events[2].Outcome);
        Assert.Equal("Refused: Patient P-0007 has not consented to music care.", events[2].OutcomeDesc);
        Assert.Equal(AuditEvent.AuditEventOutcome.N8, events[3].Outcome);
        Assert.Equal("Failure", events[3].OutcomeDesc);
    }

    [Fact]
    public void The_patient_pseudonym_is_an_entity_only_when_there_is_one()
    {
        var events = Events(AuditFhirExport.ToJson(AuditExportSamples.Trail(), _exportedAt));

        Assert.Single(events[0].Entity);
        Assert.Equal(2, events[1].Entity.Count);
        Assert.Equal("P-0007", events[1].Entity[0].What!.Identifier!.Value);
        Assert.Equal(AuditFhirCodes.PatientSystem, events[1].Entity[0].What!.Identifier!.System);
        Assert.Equal("1", events[1].Entity[0].Role!.Code);
        Assert.Equal("Playlist/pl-3", events[1].Entity[1].What!.Display);
    }

    [Theory]
    [InlineData(AuditActions.SignIn, AuditEvent.AuditEventAction.E, "110114")]
    [InlineData(AuditActions.PatientCreated, AuditEvent.AuditEventAction.C, "110110")]
    [InlineData(AuditActions.PatientViewed, AuditEvent.AuditEventAction.R, "110110")]
    [InlineData(AuditActions.PlaylistApproved, AuditEvent.AuditEventAction.U, "110110")]
    [InlineData(AuditActions.Export, AuditEvent.AuditEventAction.R, "110106")]
    [InlineData(AuditActions.Import, AuditEvent.AuditEventAction.C, "110107")]
    [InlineData(AuditActions.RolesChanged, AuditEvent.AuditEventAction.U, "110136")]
    [InlineData(AuditActions.TrainingStarted, AuditEvent.AuditEventAction.E, "110100")]
    [InlineData(AuditActions.GuardRefused, AuditEvent.AuditEventAction.E, "110100")]
    [InlineData(AuditActions.AuditVerified, AuditEvent.AuditEventAction.E, "110101")]
    public void Actions_map_to_a_crude_code_and_a_dicom_event_type(string action, AuditEvent.AuditEventAction code, string type)
    {
        Assert.Equal(code, AuditFhirCodes.ActionCode(action));
        Assert.Equal(type, AuditFhirCodes.EventType(action).Code);
    }

    [Fact]
    public void No_clinic_action_is_exported_as_a_delete()
    {
        Assert.DoesNotContain(AuditActions.All, a => AuditFhirCodes.ActionCode(a) == AuditEvent.AuditEventAction.D);
    }

    [Fact]
    public async System.Threading.Tasks.Task Streamed_export_parses_back_to_the_same_bundle_as_the_in_memory_one()
    {
        var trail = AuditExportSamples.Trail();
        using var output = new MemoryStream();

        await AuditFhirExport.WriteJsonAsync(AuditExportSamples.Stream(trail), output, _exportedAt, TestContext.Current.CancellationToken);

        var streamed = Parse(Encoding.UTF8.GetString(output.ToArray()));
        var inMemory = AuditFhirExport.ToBundle(trail, _exportedAt);
        Assert.Equal(inMemory.Entry.Count, streamed.Entry.Count);
        Assert.Equal(inMemory.Identifier!.Value, streamed.Identifier!.Value);
        Assert.Equal(inMemory.Timestamp, streamed.Timestamp);
        Assert.Equal(inMemory.Entry.Select(e => e.FullUrl), streamed.Entry.Select(e => e.FullUrl));
        Assert.True(inMemory.Entry.Zip(streamed.Entry).All(pair => pair.First.Resource.IsExactly(pair.Second.Resource)),
            "a streamed AuditEvent differs from the in-memory one");
    }

    [Fact]
    public void Full_urls_are_distinct_uuids_and_stable_across_exports()
    {
        var trail = AuditExportSamples.Trail();

        var first = AuditFhirExport.ToBundle(trail, _exportedAt).Entry.Select(e => e.FullUrl).ToList();
        var second = AuditFhirExport.ToBundle(trail, _exportedAt.AddDays(1)).Entry.Select(e => e.FullUrl).ToList();

        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Distinct().Count());
        Assert.All(first, url => Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", url));
    }

    [Fact]
    public void An_empty_trail_exports_an_empty_bundle_anchored_at_genesis()
    {
        var bundle = Parse(AuditFhirExport.ToJson([], _exportedAt));

        Assert.Empty(bundle.Entry);
        Assert.Equal(AuditChain.GenesisHash, bundle.Identifier!.Value);
    }

    private static List<AuditEvent> Events(string json) =>
        Parse(json).Entry.Select(e => Assert.IsType<AuditEvent>(e.Resource)).ToList();

    private static string? DetailValue(AuditEvent.EntityComponent entity, string type) =>
        Assert.IsType<FhirString>(Assert.Single(entity.Detail, d => d.Type == type).Value).Value;
}
