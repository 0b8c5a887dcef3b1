using Amrs.Core.Import;
using Amrs.Core.Patients;
using static Amrs.Core.Tests.Import.CsvText;

namespace Amrs.Core.Tests.Import;

public sealed class PatientCsvTests
{
    private const string Header = "patient_id,birth_year,care_setting,cognitive_stage,preferred_genres,max_arousal,excluded_genres,consent";

    [Fact]
    public void Lists_empty_cells_and_optional_columns_are_read()
    {
        var csv = $"{Header},preferred_era,care_unit\n"
            + "P-000001,1941,clinical,moderate,Swing; Jazz ;,0.6,Rock,true,1960s,Unit B\n"
            + "P-000002,1985,Consumer,none,,,,0,,\n";

        var result = PatientCsv.Read(Utf8(csv));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var (a, b) = (result.Values[0], result.Values[1]);
        Assert.Equal(["Swing", "Jazz"], a.PreferredGenres);
        Assert.Equal(["Rock"], a.ExcludedGenres);
        Assert.Equal((0.6, 1960, "Unit B", CognitiveStage.Moderate), (a.MaxArousal, a.PreferredEra, a.CareUnit, a.CognitiveStage));
        Assert.Equal(CareSetting.Consumer, b.CareSetting);
        Assert.Empty(b.PreferredGenres);
        Assert.Null(b.MaxArousal);
        Assert.False(b.Consent);
        Assert.Null(b.PreferredEra);
        Assert.Null(b.CareUnit);
    }

    [Theory]
    [InlineData("P1,1941,hospital,mild,,,,true", "care_setting", "not one of")]
    [InlineData("P1,1941,clinical,mild,,,,maybe", "consent", "not one of")]
    [InlineData("P1,1941,clinical,mild,,,,", "consent", "required")]
    [InlineData("P1,1880,clinical,mild,,,,true", "birth_year", "out of range")]
    [InlineData("P1,1990,consumer,mild,,,,true", "cognitive_stage", "consumer")]
    [InlineData("P1,1941,clinical,mild,,1.2,,true", "max_arousal", "out of range")]
    [InlineData("P1,1941,clinical,,,,,true", "cognitive_stage", "required")]
    public void Bad_patient_cells_are_reported(string row, string column, string reason)
    {
        var result = PatientCsv.Read(Utf8($"{Header}\n{row}\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Records);
    }

    [Fact]
    public void A_bad_era_and_a_duplicate_id_are_reported()
    {
        var result = PatientCsv.Read(Utf8($"{Header},preferred_era\nP1,1941,clinical,mild,,,,true,1965\nP2,1941,clinical,mild,,,,true,\nP2,1950,clinical,mild,,,,true,\n"));

        Assert.Equal([(2, "preferred_era"), (4, "patient_id")], result.Errors.Select(e => (e.Line, e.Column!)));
    }

    [Fact]
    public void Written_patients_read_back_identically()
    {
        Patient[] patients =
        [
            new("P-000001", 1938, CareSetting.Clinical, CognitiveStage.Severe, ["Swing", "Show Tunes"], 0.55, ["Rock", "Hip Hop"], true, 1950, null, "Unit A"),
            new("P-000002", 1990, CareSetting.Consumer, CognitiveStage.None, [], null, [], false),
        ];
        using var stream = new MemoryStream();
        PatientCsv.Write(stream, patients);
        stream.Position = 0;

        var result = PatientCsv.Read(stream);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(patients.Length, result.Values.Count);
        for (var i = 0; i < patients.Length; i++)
            Assert.True(PatientEquality.Same(patients[i], result.Values[i]), $"patient {i} differs after the round trip");
    }

    [Fact]
    public void A_list_entry_holding_the_separator_cannot_be_written()
    {
        var patient = new Patient("P1", 1940, CareSetting.Clinical, CognitiveStage.Mild, ["Rock;Pop"], null, [], true);

        Assert.Throws<ArgumentException>(() => PatientCsv.Write(new MemoryStream(), [patient]));
    }
}

/// <summary>Records compare lists by reference; this compares them by content.</summary>
internal static class PatientEquality
{
    public static bool Same(Patient a, Patient b) =>
        a with { PreferredGenres = [], ExcludedGenres = [] } == b with { PreferredGenres = [], ExcludedGenres = [] }
        && a.PreferredGenres.SequenceEqual(b.PreferredGenres)
        && a.ExcludedGenres.SequenceEqual(b.ExcludedGenres);
}
