using System.CommandLine;
using Amrs.Cli.Hosting;
using Amrs.Cli.Terminal;
using Amrs.Data.Clinical;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Amrs.Cli.Data;

/// <summary><c>amrs data import catalog|patients|sessions FILE</c>.</summary>
internal static class ImportCommand
{
    public static Command Create() => new("import",
        "Import a CSV file. Everything is validated first (each rejected row is listed with line, column and reason); " +
        "only a file without errors is written, in one transaction. Importing the same file again changes nothing.")
    {
        Kind("catalog", ClinicalDataKind.Catalog, "tracks: track_id,title,artist,valence,arousal (+ optional descriptors)"),
        Kind("patients", ClinicalDataKind.Patients, "patients: patient_id,birth_year,care_setting,cognitive_stage and more"),
        Kind("sessions", ClinicalDataKind.Sessions, "logged sessions, one row per track; patients and tracks must be imported first"),
    };

    private static Command Kind(string name, ClinicalDataKind kind, string what)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The CSV file (UTF-8, RFC 4180, with a header row)." };
        var command = new Command(name, $"Import {what}.") { file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"amrs: the file '{path.FullName}' does not exist.");
                return ExitCodes.Refused;
            }
            return await CliHost.RunAsync(parse, cancellationToken, (host, output, error) => RunAsync(host, output, error, kind, path, cancellationToken));
        });
        return command;
    }

    private static async Task<int> RunAsync(IHost host, TextWriter output, TextWriter error, ClinicalDataKind kind, FileInfo file, CancellationToken cancellationToken)
    {
        var importer = host.Services.GetRequiredService<ClinicalDataImporter>();
        await output.WriteLineAsync($"Importing {kind.ToString().ToLowerInvariant()} from {file.Name} into {CliHost.Describe(host.Services)}");
        var progress = ConsoleProgress.For(error);
        var result = await Task.Run(() => importer.ImportAsync(kind, file.FullName, CliHost.Actor, progress, file.Name, cancellationToken), cancellationToken);
        progress.Done();

        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"{file.Name}: {result.Summary}.");
            foreach (var problem in result.Errors)
                await error.WriteLineAsync($"  {problem}");
            return ExitCodes.Refused;
        }
        var seconds = Math.Max(result.Elapsed.TotalSeconds, 0.001);
        await output.WriteLineAsync(
            $"{file.Name}: {result.Summary} ({result.Records:N0} {Noun(kind)}, {result.Rows:N0} rows in {seconds:F1} s, {result.Rows / seconds:N0} rows/s).");
        return ExitCodes.Ok;
    }

    private static string Noun(ClinicalDataKind kind) => kind switch
    {
        ClinicalDataKind.Catalog => "tracks",
        ClinicalDataKind.Patients => "patients",
        _ => "sessions",
    };
}
