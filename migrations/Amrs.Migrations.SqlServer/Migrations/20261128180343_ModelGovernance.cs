using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Amrs.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ModelGovernance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EvaluationJson",
                table: "ModelBundles",
                type: "nvarchar(max)",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EvaluationJson",
                table: "ModelBundles");
        }
    }
}
