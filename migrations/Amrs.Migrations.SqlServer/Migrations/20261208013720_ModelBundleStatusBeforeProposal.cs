using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Amrs.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ModelBundleStatusBeforeProposal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "StatusBeforeProposal",
                table: "ModelBundles",
                type: "nvarchar(24)",
                maxLength: 24,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StatusBeforeProposal",
                table: "ModelBundles");
        }
    }
}
