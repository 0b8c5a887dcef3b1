using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Amrs.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ApprovalRevocations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PlaylistApprovals_PreviewId",
                table: "PlaylistApprovals");

            migrationBuilder.CreateTable(
                name: "ApprovalRevocations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ApprovalId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(64)", nullable: false),
                    RevokedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    RevokedByPrintedName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    RevokedByRole = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: false),
                    Meaning = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApprovalRevocations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApprovalRevocations_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "PatientId",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ApprovalRevocations_PlaylistApprovals_ApprovalId",
                        column: x => x.ApprovalId,
                        principalTable: "PlaylistApprovals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PlaylistApprovals_PreviewId",
                table: "PlaylistApprovals",
                column: "PreviewId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRevocations_ApprovalId",
                table: "ApprovalRevocations",
                column: "ApprovalId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRevocations_PatientId",
                table: "ApprovalRevocations",
                column: "PatientId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApprovalRevocations");

            migrationBuilder.DropIndex(
                name: "IX_PlaylistApprovals_PreviewId",
                table: "PlaylistApprovals");

            migrationBuilder.CreateIndex(
                name: "IX_PlaylistApprovals_PreviewId",
                table: "PlaylistApprovals",
                column: "PreviewId");
        }
    }
}
