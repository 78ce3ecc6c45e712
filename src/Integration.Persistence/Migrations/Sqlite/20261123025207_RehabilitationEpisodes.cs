using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Integration.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RehabilitationEpisodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "episodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MunicipalityCode = table.Column<string>(type: "TEXT", nullable: false),
                    CitizenKey = table.Column<string>(type: "TEXT", nullable: false),
                    CitizenCpr = table.Column<string>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SourceIdentifier = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    SenderPartnerId = table.Column<string>(type: "TEXT", nullable: false),
                    GeneralPracticePartnerId = table.Column<string>(type: "TEXT", nullable: true),
                    Level = table.Column<string>(type: "TEXT", nullable: true),
                    Programme = table.Column<string>(type: "TEXT", nullable: true),
                    DischargeDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    StartDeadline = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ResponsibleUnit = table.Column<string>(type: "TEXT", nullable: false),
                    Coordinator = table.Column<string>(type: "TEXT", nullable: true),
                    Length = table.Column<string>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PlannedStart = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    PostponementReason = table.Column<string>(type: "TEXT", nullable: true),
                    FreeChoiceOffered = table.Column<bool>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    NextEvaluation = table.Column<long>(type: "INTEGER", nullable: true),
                    PlannedEnd = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevisitationAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevisitationOutcome = table.Column<string>(type: "TEXT", nullable: true),
                    RevisitationNote = table.Column<string>(type: "TEXT", nullable: true),
                    CancellationReason = table.Column<string>(type: "TEXT", nullable: true),
                    GoalsJson = table.Column<string>(type: "TEXT", nullable: false),
                    EffortsJson = table.Column<string>(type: "TEXT", nullable: false),
                    HistoryJson = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_episodes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_episodes_MunicipalityCode_CitizenKey",
                table: "episodes",
                columns: new[] { "MunicipalityCode", "CitizenKey" });

            migrationBuilder.CreateIndex(
                name: "IX_episodes_MunicipalityCode_SenderPartnerId_SourceIdentifier",
                table: "episodes",
                columns: new[] { "MunicipalityCode", "SenderPartnerId", "SourceIdentifier" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_episodes_MunicipalityCode_State",
                table: "episodes",
                columns: new[] { "MunicipalityCode", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "episodes");
        }
    }
}
