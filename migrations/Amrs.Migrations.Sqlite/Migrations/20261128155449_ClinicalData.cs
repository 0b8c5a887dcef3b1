using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Amrs.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ClinicalData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Patients",
                columns: table => new
                {
                    PatientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BirthYear = table.Column<int>(type: "INTEGER", nullable: false),
                    CareSetting = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CognitiveStage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PreferredGenres = table.Column<string>(type: "TEXT", nullable: false),
                    MaxArousal = table.Column<double>(type: "REAL", nullable: true),
                    ExcludedGenres = table.Column<string>(type: "TEXT", nullable: false),
                    Consent = table.Column<bool>(type: "INTEGER", nullable: false),
                    PreferredEra = table.Column<int>(type: "INTEGER", nullable: true),
                    ClinicianUserId = table.Column<string>(type: "TEXT", nullable: true),
                    CareUnit = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Patients", x => x.PatientId);
                    table.ForeignKey(
                        name: "FK_Patients_AspNetUsers_ClinicianUserId",
                        column: x => x.ClinicianUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "Tracks",
                columns: table => new
                {
                    TrackId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Artist = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Valence = table.Column<double>(type: "REAL", nullable: false),
                    Arousal = table.Column<double>(type: "REAL", nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: true),
                    Genre = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DurationSeconds = table.Column<double>(type: "REAL", nullable: true),
                    Energy = table.Column<double>(type: "REAL", nullable: true),
                    Tempo = table.Column<double>(type: "REAL", nullable: true),
                    Acousticness = table.Column<double>(type: "REAL", nullable: true),
                    Instrumentalness = table.Column<double>(type: "REAL", nullable: true),
                    Danceability = table.Column<double>(type: "REAL", nullable: true),
                    Loudness = table.Column<double>(type: "REAL", nullable: true),
                    Mode = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Tracks", x => x.TrackId);
                });

            migrationBuilder.CreateTable(
                name: "SessionLogs",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PatientId = table.Column<string>(type: "TEXT", nullable: false),
                    StartedAtUnixMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TargetValence = table.Column<double>(type: "REAL", nullable: false),
                    TargetArousal = table.Column<double>(type: "REAL", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionLogs", x => x.SessionId);
                    table.ForeignKey(
                        name: "FK_SessionLogs_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "PatientId",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SessionSteps",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    TrackId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Engagement = table.Column<double>(type: "REAL", nullable: false),
                    Rating = table.Column<int>(type: "INTEGER", nullable: true),
                    Valence = table.Column<double>(type: "REAL", nullable: true),
                    Arousal = table.Column<double>(type: "REAL", nullable: true),
                    Propensity = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionSteps", x => new { x.SessionId, x.Position });
                    table.ForeignKey(
                        name: "FK_SessionSteps_SessionLogs_SessionId",
                        column: x => x.SessionId,
                        principalTable: "SessionLogs",
                        principalColumn: "SessionId",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SessionSteps_Tracks_TrackId",
                        column: x => x.TrackId,
                        principalTable: "Tracks",
                        principalColumn: "TrackId",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_CareUnit",
                table: "Patients",
                column: "CareUnit");

            migrationBuilder.CreateIndex(
                name: "IX_Patients_ClinicianUserId",
                table: "Patients",
                column: "ClinicianUserId");

            migrationBuilder.CreateIndex(
                name: "IX_SessionLogs_PatientId_StartedAtUnixMs",
                table: "SessionLogs",
                columns: new[] { "PatientId", "StartedAtUnixMs" });

            migrationBuilder.CreateIndex(
                name: "IX_SessionSteps_TrackId",
                table: "SessionSteps",
                column: "TrackId");

            migrationBuilder.CreateIndex(
                name: "IX_Tracks_Genre",
                table: "Tracks",
                column: "Genre");

            migrationBuilder.CreateIndex(
                name: "IX_Tracks_Title",
                table: "Tracks",
                column: "Title");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SessionSteps");

            migrationBuilder.DropTable(
                name: "SessionLogs");

            migrationBuilder.DropTable(
                name: "Tracks");

            migrationBuilder.DropTable(
                name: "Patients");
        }
    }
}
