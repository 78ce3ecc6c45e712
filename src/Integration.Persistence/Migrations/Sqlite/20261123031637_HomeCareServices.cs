using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Integration.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HomeCareServices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ContactPhone",
                table: "homecare_citizens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactUnit",
                table: "homecare_citizens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ServicesJson",
                table: "homecare_citizens",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ContactPhone",
                table: "homecare_citizens");

            migrationBuilder.DropColumn(
                name: "ContactUnit",
                table: "homecare_citizens");

            migrationBuilder.DropColumn(
                name: "ServicesJson",
                table: "homecare_citizens");
        }
    }
}
