using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Integration.Persistence.Migrations.Postgres
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
                type: "bytea",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "bytea");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // A body stored once is its message's FHIR JSON (RawMessage.Body): give it back its own bytes first.
            migrationBuilder.Sql("""
                UPDATE raw_messages AS r SET "Body" = convert_to(m."FhirJson", 'UTF8') FROM messages AS m WHERE r."Body" IS NULL AND m."Id" = r."MessageId";
                """);
            migrationBuilder.AlterColumn<byte[]>(
                name: "Body",
                table: "raw_messages",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0],
                oldClrType: typeof(byte[]),
                oldType: "bytea",
                oldNullable: true);
        }
    }
}
