using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Integration.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RawBodyStoredOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<byte[]>(
                name: "Body",
                table: "raw_messages",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // A body stored once is its message's FHIR JSON (RawMessage.Body): give it back its own bytes first.
            migrationBuilder.Sql("""
                UPDATE raw_messages SET "Body" = CAST((SELECT m."FhirJson" FROM messages AS m WHERE m."Id" = raw_messages."MessageId") AS BLOB) WHERE "Body" IS NULL;
                """);
            migrationBuilder.AlterColumn<byte[]>(
                name: "Body",
                table: "raw_messages",
                type: "BLOB",
                nullable: false,
                defaultValue: new byte[0],
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);
        }
    }
}
