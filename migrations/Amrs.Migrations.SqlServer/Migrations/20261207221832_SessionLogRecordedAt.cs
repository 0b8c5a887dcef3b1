using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Amrs.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SessionLogRecordedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RecordedAtUnixMs",
                table: "SessionLogs",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RecordedAtUnixMs",
                table: "SessionLogs");
        }
    }
}
