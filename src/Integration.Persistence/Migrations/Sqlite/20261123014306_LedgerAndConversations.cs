using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Integration.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LedgerAndConversations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "conversations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MunicipalityCode = table.Column<string>(type: "TEXT", nullable: false),
                    ThreadId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CitizenKey = table.Column<string>(type: "TEXT", nullable: false),
                    Category = table.Column<string>(type: "TEXT", nullable: false),
                    Topic = table.Column<string>(type: "TEXT", nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastMessageAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_conversations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "sent_messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageHeaderId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    MessageType = table.Column<string>(type: "TEXT", nullable: false),
                    ReceiverPartnerId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    OriginPartnerId = table.Column<string>(type: "TEXT", nullable: true),
                    SourceMessageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CitizenKey = table.Column<string>(type: "TEXT", nullable: true),
                    CurrentBundleId = table.Column<string>(type: "TEXT", nullable: false),
                    FhirJson = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Sendings = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSentAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AckDeadline = table.Column<long>(type: "INTEGER", nullable: true),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AckCode = table.Column<string>(type: "TEXT", nullable: true),
                    AckIssueCode = table.Column<string>(type: "TEXT", nullable: true),
                    AckMessageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sent_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "conversation_messages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageHeaderId = table.Column<string>(type: "TEXT", nullable: false),
                    Direction = table.Column<string>(type: "TEXT", nullable: false),
                    Activity = table.Column<string>(type: "TEXT", nullable: false),
                    Category = table.Column<string>(type: "TEXT", nullable: false),
                    Topic = table.Column<string>(type: "TEXT", nullable: true),
                    CounterpartPartnerId = table.Column<string>(type: "TEXT", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PreviousMessageHeaderIds = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_conversation_messages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_conversation_messages_conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sent_message_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SentMessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sent_message_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_sent_message_events_sent_messages_SentMessageId",
                        column: x => x.SentMessageId,
                        principalTable: "sent_messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_conversation_messages_ConversationId",
                table: "conversation_messages",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_conversation_messages_MessageId",
                table: "conversation_messages",
                column: "MessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_conversations_MunicipalityCode_CitizenKey",
                table: "conversations",
                columns: new[] { "MunicipalityCode", "CitizenKey" });

            migrationBuilder.CreateIndex(
                name: "IX_conversations_MunicipalityCode_ThreadId",
                table: "conversations",
                columns: new[] { "MunicipalityCode", "ThreadId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sent_message_events_SentMessageId",
                table: "sent_message_events",
                column: "SentMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_sent_messages_MessageHeaderId_ReceiverPartnerId",
                table: "sent_messages",
                columns: new[] { "MessageHeaderId", "ReceiverPartnerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sent_messages_SourceMessageId",
                table: "sent_messages",
                column: "SourceMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_sent_messages_State_AckDeadline",
                table: "sent_messages",
                columns: new[] { "State", "AckDeadline" });

            migrationBuilder.CreateIndex(
                name: "IX_sent_messages_State_NextAttemptAt",
                table: "sent_messages",
                columns: new[] { "State", "NextAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "conversation_messages");

            migrationBuilder.DropTable(
                name: "sent_message_events");

            migrationBuilder.DropTable(
                name: "conversations");

            migrationBuilder.DropTable(
                name: "sent_messages");
        }
    }
}
