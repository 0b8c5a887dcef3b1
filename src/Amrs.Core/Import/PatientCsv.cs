using Amrs.Core.Patients;

namespace Amrs.Core.Import;

/// <summary>
/// The patient CSV: <c>patient_id,birth_year,care_setting,cognitive_stage,preferred_genres,max_arousal,
/// excluded_genres,consent</c> required (the cells of the list and max_arousal columns may be empty);
/// <c>preferred_era, care_unit</c> optional. Lists are separated by ';'. care_setting is clinical or consumer,
/// cognitive_stage none, mild, moderate or severe (consumers: none), consent true/false (also 1/0, yes/no),
/// preferred_era a decade such as 1960 (or 1960s).
/// </summary>
public static class PatientCsv
{
    public static readonly IReadOnlyList<string> RequiredColumns =
        ["patient_id", "birth_year", "care_setting", "cognitive_stage", "preferred_genres", "max_arousal", "excluded_genres", "consent"];

    public static readonly IReadOnlyList<string> OptionalColumns = ["preferred_era", "care_unit"];

    private static readonly CsvSchema _schema = new(RequiredColumns, OptionalColumns);

    private static readonly Dictionary<string, CareSetting> _settings = new()
    {
        ["clinical"] = CareSetting.Clinical,
        ["consumer"] = CareSetting.Consumer,
    };

    private static readonly Dictionary<string, CognitiveStage> _stages = new()
    {
        ["none"] = CognitiveStage.None,
        ["mild"] = CognitiveStage.Mild,
        ["moderate"] = CognitiveStage.Moderate,
        ["severe"] = CognitiveStage.Severe,
    };

    private static readonly Dictionary<string, bool> _booleans = new()
    {
        ["true"] = true,
        ["false"] = false,
        ["1"] = true,
        ["0"] = false,
        ["yes"] = true,
        ["no"] = false,
    };

    public static CsvReadResult<Patient> Read(Stream stream)
    {
        var errors = new List<CsvError>();
        var records = ReadStreaming(stream, errors).ToList();
        return new CsvReadResult<Patient>(records, errors);
    }

    public static IEnumerable<CsvRecord<Patient>> ReadStreaming(Stream stream, List<CsvError> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in CsvParsing.Rows(stream, _schema, errors, r => r))
        {
            var patient = Parse(row);
            if (!row.HasErrors && !seen.TryAdd(patient.PatientId, row.Line))
                row.Error("patient_id", $"duplicate id '{patient.PatientId}' (first on line {seen[patient.PatientId]})");
            if (!row.HasErrors)
                yield return new CsvRecord<Patient>(row.Line, patient);
        }
    }

    private static Patient Parse(CsvRow row)
    {
        var id = row.Id("patient_id");
        var birthYear = row.RequiredInteger("birth_year", 1900, DateTime.UtcNow.Year);
        var setting = Required(row, "care_setting", row.Choice("care_setting", _settings));
        var stage = Required(row, "cognitive_stage", row.Choice("cognitive_stage", _stages));
        if (setting == CareSetting.Consumer && stage is not CognitiveStage.None && !row.HasErrors)
            row.Error("cognitive_stage", "a consumer has no cognitive stage; use none");
        var maxArousal = row.Number("max_arousal", 0, 1);
        var consent = Required(row, "consent", row.Choice("consent", _booleans));
        return new Patient(
            PatientId: id,
            BirthYear: birthYear,
            CareSetting: setting,
            CognitiveStage: stage,
            PreferredGenres: row.List("preferred_genres"),
            MaxArousal: maxArousal,
            ExcludedGenres: row.List("excluded_genres"),
            Consent: consent,
            PreferredEra: Era(row),
            CareUnit: row.Text("care_unit"));
    }

    private static T Required<T>(CsvRow row, string column, T? value)
        where T : struct
    {
        if (value is null && row.Text(column) is null)
            row.Error(column, "a value is required");
        return value ?? default;
    }

    private static int? Era(CsvRow row)
    {
        var text = row.Text("preferred_era")?.Trim();
        if (text is null || text.Length == 0)
            return null;
        var digits = text.EndsWith('s') ? text[..^1] : text;
        if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var decade)
            || decade % 10 != 0 || decade < 1900 || decade > 2100)
        {
            row.Error("preferred_era", $"'{text}' is not a decade such as 1960");
            return null;
        }
        return decade;
    }

    public static void Write(Stream stream, IEnumerable<Patient> patients)
    {
        using var writer = CsvWriting.Writer(stream);
        Write(writer, patients);
    }

    public static void Write(TextWriter writer, IEnumerable<Patient> patients)
    {
        CsvWriting.WriteRow(writer, [.. RequiredColumns, .. OptionalColumns]);
        foreach (var p in patients)
        {
            CsvWriting.WriteRow(writer,
            [
                p.PatientId, CsvWriting.Number(p.BirthYear), p.CareSetting.ToString().ToLowerInvariant(),
                p.CognitiveStage.ToString().ToLowerInvariant(), CsvWriting.ListOf(p.PreferredGenres, "preferred_genres"),
                CsvWriting.Number(p.MaxArousal), CsvWriting.ListOf(p.ExcludedGenres, "excluded_genres"),
                p.Consent ? "true" : "false", CsvWriting.Number(p.PreferredEra), p.CareUnit,
            ]);
        }
    }
}
