using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Integration.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CitizenIndexesForBatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_hospital_stays_CitizenKey",
                table: "hospital_stays",
                column: "CitizenKey");

            migrationBuilder.CreateIndex(
                name: "IX_homecare_citizens_CitizenKey",
                table: "homecare_citizens",
                column: "CitizenKey");

            migrationBuilder.CreateIndex(
                name: "IX_episodes_CitizenKey",
                table: "episodes",
                column: "CitizenKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_hospital_stays_CitizenKey",
                table: "hospital_stays");

            migrationBuilder.DropIndex(
                name: "IX_homecare_citizens_CitizenKey",
                table: "homecare_citizens");

            migrationBuilder.DropIndex(
                name: "IX_episodes_CitizenKey",
                table: "episodes");
        }
    }
}
