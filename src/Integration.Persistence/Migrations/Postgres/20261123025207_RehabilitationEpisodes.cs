using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Integration.Persistence.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MunicipalityCode = table.Column<string>(type: "text", nullable: false),
                    CitizenKey = table.Column<string>(type: "text", nullable: false),
                    CitizenCpr = table.Column<string>(type: "text", nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SourceIdentifier = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    SenderPartnerId = table.Column<string>(type: "text", nullable: false),
                    GeneralPracticePartnerId = table.Column<string>(type: "text", nullable: true),
                    Level = table.Column<string>(type: "text", nullable: true),
                    Programme = table.Column<string>(type: "text", nullable: true),
                    DischargeDate = table.Column<DateOnly>(type: "date", nullable: true),
                    StartDeadline = table.Column<DateOnly>(type: "date", nullable: true),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ResponsibleUnit = table.Column<string>(type: "text", nullable: false),
                    Coordinator = table.Column<string>(type: "text", nullable: true),
                    Length = table.Column<string>(type: "text", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PlannedStart = table.Column<DateOnly>(type: "date", nullable: true),
                    PostponementReason = table.Column<string>(type: "text", nullable: true),
                    FreeChoiceOffered = table.Column<bool>(type: "boolean", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    NextEvaluation = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PlannedEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevisitationAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevisitationOutcome = table.Column<string>(type: "text", nullable: true),
                    RevisitationNote = table.Column<string>(type: "text", nullable: true),
                    CancellationReason = table.Column<string>(type: "text", nullable: true),
                    GoalsJson = table.Column<string>(type: "text", nullable: false),
                    EffortsJson = table.Column<string>(type: "text", nullable: false),
                    HistoryJson = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
