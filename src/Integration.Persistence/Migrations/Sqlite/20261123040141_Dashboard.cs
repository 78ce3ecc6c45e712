using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Integration.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Dashboard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Target = table.Column<string>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", nullable: true),
                    MunicipalityCode = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "flow_minutes",
                columns: table => new
                {
                    Minute = table.Column<long>(type: "INTEGER", nullable: false),
                    MessageType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MunicipalityCode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Received = table.Column<int>(type: "INTEGER", nullable: false),
                    Duplicates = table.Column<int>(type: "INTEGER", nullable: false),
                    Processed = table.Column<int>(type: "INTEGER", nullable: false),
                    Failed = table.Column<int>(type: "INTEGER", nullable: false),
                    Parked = table.Column<int>(type: "INTEGER", nullable: false),
                    AcksDelivered = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_minutes", x => new { x.Minute, x.MessageType, x.MunicipalityCode });
                });

            migrationBuilder.CreateTable(
                name: "flow_watermarks",
                columns: table => new
                {
                    Counter = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CountedUntil = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_watermarks", x => x.Counter);
                });

            migrationBuilder.CreateIndex(
                name: "IX_messages_MunicipalityCode_ReceivedAt",
                table: "messages",
                columns: new[] { "MunicipalityCode", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_messages_ReceivedAt",
                table: "messages",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_message_events_At",
                table: "message_events",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_At",
                table: "audit_entries",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_MunicipalityCode_At",
                table: "audit_entries",
                columns: new[] { "MunicipalityCode", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "flow_minutes");

            migrationBuilder.DropTable(
                name: "flow_watermarks");

            migrationBuilder.DropIndex(
                name: "IX_messages_MunicipalityCode_ReceivedAt",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "IX_messages_ReceivedAt",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "IX_message_events_At",
                table: "message_events");
        }
    }
}
