using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Integration.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SentOutboxRowsRemoved : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Sent rows are removed from now on (docs/adr/0024-sent-outbox-rows-deleted.md): those sent before go now, so
            // every row left is one still to be sent.
            migrationBuilder.Sql("""DELETE FROM outbox WHERE "SentAt" IS NOT NULL;""");

            migrationBuilder.DropIndex(
                name: "IX_outbox_SentAt_Id",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "SentAt",
                table: "outbox");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "SentAt",
                table: "outbox",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_SentAt_Id",
                table: "outbox",
                columns: new[] { "SentAt", "Id" });
        }
    }
}
