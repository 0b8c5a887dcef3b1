using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Amrs.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class CareWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ModelBundles",
                columns: table => new
                {
                    BundleId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    Location = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    CardsJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    DataFingerprint = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    RegisteredAt = table.Column<long>(type: "bigint", nullable: false),
                    Shipped = table.Column<bool>(type: "bit", nullable: false),
                    ProposedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    ProposedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    ProposedAt = table.Column<long>(type: "bigint", nullable: true),
                    PromotedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    PromotedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    PromotedAt = table.Column<long>(type: "bigint", nullable: true),
                    PromotionMeaning = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    RetiredAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelBundles", x => x.BundleId);
                });

            migrationBuilder.CreateTable(
                name: "TrainingJobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    StartedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    StartedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: true),
                    FinishedAt = table.Column<long>(type: "bigint", nullable: true),
                    Stage = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Progress = table.Column<double>(type: "float", nullable: false),
                    Message = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    CancelRequested = table.Column<bool>(type: "bit", nullable: false),
                    ResultBundleId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    Error = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Quick = table.Column<bool>(type: "bit", nullable: false),
                    IsActive = table.Column<bool>(type: "bit", nullable: false, computedColumnSql: "CASE WHEN [Status] IN ('Queued', 'Running') THEN 1 ELSE 0 END", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrainingJobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UtilityProfiles",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PatientId = table.Column<string>(type: "nvarchar(64)", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false),
                    Mode = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    TargetValence = table.Column<double>(type: "float", nullable: false),
                    TargetArousal = table.Column<double>(type: "float", nullable: false),
                    WeightValence = table.Column<double>(type: "float", nullable: false),
                    WeightArousal = table.Column<double>(type: "float", nullable: false),
                    WeightEngagement = table.Column<double>(type: "float", nullable: false),
                    WeightRating = table.Column<double>(type: "float", nullable: false),
                    WeightDiversity = table.Column<double>(type: "float", nullable: false),
                    WeightFamiliarity = table.Column<double>(type: "float", nullable: false),
                    FollowIsoPath = table.Column<bool>(type: "bit", nullable: false),
                    MaxArousal = table.Column<double>(type: "float", nullable: true),
                    ExcludedGenres = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    PlaylistLength = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    CreatedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    RestoredFromVersion = table.Column<int>(type: "int", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UtilityProfiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UtilityProfiles_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "PatientId",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Previews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(64)", nullable: false),
                    ProfileId = table.Column<long>(type: "bigint", nullable: false),
                    ProfileVersion = table.Column<int>(type: "int", nullable: false),
                    ModelBundleId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    PolicyVersion = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ProposalPreviewId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    DecodingStrategy = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ExplorationRate = table.Column<double>(type: "float", nullable: false),
                    ProposedTrackIds = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    TrackIds = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    SimulationOnly = table.Column<bool>(type: "bit", nullable: false),
                    ResultJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    OutOfDistribution = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    CreatedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Previews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Previews_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "PatientId",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Previews_UtilityProfiles_ProfileId",
                        column: x => x.ProfileId,
                        principalTable: "UtilityProfiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PlaylistApprovals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PreviewId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(64)", nullable: false),
                    ProfileId = table.Column<long>(type: "bigint", nullable: false),
                    ProfileVersion = table.Column<int>(type: "int", nullable: false),
                    Mode = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    TargetValence = table.Column<double>(type: "float", nullable: true),
                    TargetArousal = table.Column<double>(type: "float", nullable: true),
                    ModelBundleId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    ModelVersions = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    TrackIds = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    SignerUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    SignerPrintedName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    SignerRole = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    SignedAt = table.Column<long>(type: "bigint", nullable: false),
                    Meaning = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ScheduledFor = table.Column<long>(type: "bigint", nullable: false),
                    ValidUntil = table.Column<long>(type: "bigint", nullable: false),
                    BindingHash = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: false),
                    RejectionReason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    Notes = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlaylistApprovals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlaylistApprovals_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "PatientId",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PlaylistApprovals_Previews_PreviewId",
                        column: x => x.PreviewId,
                        principalTable: "Previews",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DeliverySessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ApprovalId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(64)", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: false),
                    StartedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    StartedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    EndedAt = table.Column<long>(type: "bigint", nullable: true),
                    CurrentPosition = table.Column<int>(type: "int", nullable: false),
                    StopReason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    AlertAcknowledgedAt = table.Column<long>(type: "bigint", nullable: true),
                    AlertAcknowledgedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    Revision = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeliverySessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeliverySessions_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "PatientId",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DeliverySessions_PlaylistApprovals_ApprovalId",
                        column: x => x.ApprovalId,
                        principalTable: "PlaylistApprovals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DeliveryObservations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DeliveryId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Position = table.Column<int>(type: "int", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false),
                    RecordedAt = table.Column<long>(type: "bigint", nullable: false),
                    RecordedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    RecordedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Valence = table.Column<double>(type: "float", nullable: true),
                    Arousal = table.Column<double>(type: "float", nullable: true),
                    Pleasure = table.Column<int>(type: "int", nullable: true),
                    Anger = table.Column<int>(type: "int", nullable: true),
                    AnxietyFear = table.Column<int>(type: "int", nullable: true),
                    Sadness = table.Column<int>(type: "int", nullable: true),
                    Alertness = table.Column<int>(type: "int", nullable: true),
                    Engagement = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    ListenedFraction = table.Column<double>(type: "float", nullable: true),
                    Rating = table.Column<int>(type: "int", nullable: true),
                    Note = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeliveryObservations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeliveryObservations_DeliverySessions_DeliveryId",
                        column: x => x.DeliveryId,
                        principalTable: "DeliverySessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryObservations_DeliveryId_Kind_Position_Version",
                table: "DeliveryObservations",
                columns: new[] { "DeliveryId", "Kind", "Position", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeliverySessions_ApprovalId",
                table: "DeliverySessions",
                column: "ApprovalId",
                unique: true,
                filter: "[Status] = 'Running'");

            migrationBuilder.CreateIndex(
                name: "IX_DeliverySessions_PatientId_Status",
                table: "DeliverySessions",
                columns: new[] { "PatientId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ModelBundles_Status",
                table: "ModelBundles",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_PlaylistApprovals_PatientId_Status",
                table: "PlaylistApprovals",
                columns: new[] { "PatientId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_PlaylistApprovals_PreviewId",
                table: "PlaylistApprovals",
                column: "PreviewId");

            migrationBuilder.CreateIndex(
                name: "IX_PlaylistApprovals_Status_ScheduledFor",
                table: "PlaylistApprovals",
                columns: new[] { "Status", "ScheduledFor" });

            migrationBuilder.CreateIndex(
                name: "IX_Previews_PatientId_CreatedAt",
                table: "Previews",
                columns: new[] { "PatientId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Previews_ProfileId",
                table: "Previews",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingJobs_IsActive",
                table: "TrainingJobs",
                column: "IsActive",
                unique: true,
                filter: "[IsActive] = 1");

            migrationBuilder.CreateIndex(
                name: "IX_UtilityProfiles_PatientId_Version",
                table: "UtilityProfiles",
                columns: new[] { "PatientId", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeliveryObservations");

            migrationBuilder.DropTable(
                name: "ModelBundles");

            migrationBuilder.DropTable(
                name: "TrainingJobs");

            migrationBuilder.DropTable(
                name: "DeliverySessions");

            migrationBuilder.DropTable(
                name: "PlaylistApprovals");

            migrationBuilder.DropTable(
                name: "Previews");

            migrationBuilder.DropTable(
                name: "UtilityProfiles");
        }
    }
}
