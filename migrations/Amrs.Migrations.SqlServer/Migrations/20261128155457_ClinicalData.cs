using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Amrs.Migrations.SqlServer.Migrations
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
                    PatientId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    BirthYear = table.Column<int>(type: "int", nullable: false),
                    CareSetting = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    CognitiveStage = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    PreferredGenres = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    MaxArousal = table.Column<double>(type: "float", nullable: true),
                    ExcludedGenres = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Consent = table.Column<bool>(type: "bit", nullable: false),
                    PreferredEra = table.Column<int>(type: "int", nullable: true),
                    ClinicianUserId = table.Column<string>(type: "nvarchar(450)", nullable: true),
                    CareUnit = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true)
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
                    TrackId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    Artist = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    Valence = table.Column<double>(type: "float", nullable: false),
                    Arousal = table.Column<double>(type: "float", nullable: false),
                    Year = table.Column<int>(type: "int", nullable: true),
                    Genre = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    DurationSeconds = table.Column<double>(type: "float", nullable: true),
                    Energy = table.Column<double>(type: "float", nullable: true),
                    Tempo = table.Column<double>(type: "float", nullable: true),
                    Acousticness = table.Column<double>(type: "float", nullable: true),
                    Instrumentalness = table.Column<double>(type: "float", nullable: true),
                    Danceability = table.Column<double>(type: "float", nullable: true),
                    Loudness = table.Column<double>(type: "float", nullable: true),
                    Mode = table.Column<int>(type: "int", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Tracks", x => x.TrackId);
                });

            migrationBuilder.CreateTable(
                name: "SessionLogs",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(64)", nullable: false),
                    StartedAtUnixMs = table.Column<long>(type: "bigint", nullable: false),
                    Mode = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    TargetValence = table.Column<double>(type: "float", nullable: false),
                    TargetArousal = table.Column<double>(type: "float", nullable: false),
                    Source = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false)
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
                    SessionId = table.Column<string>(type: "nvarchar(64)", nullable: false),
                    Position = table.Column<int>(type: "int", nullable: false),
                    TrackId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Engagement = table.Column<double>(type: "float", nullable: false),
                    Rating = table.Column<int>(type: "int", nullable: true),
                    Valence = table.Column<double>(type: "float", nullable: true),
                    Arousal = table.Column<double>(type: "float", nullable: true),
                    Propensity = table.Column<double>(type: "float", nullable: true)
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
