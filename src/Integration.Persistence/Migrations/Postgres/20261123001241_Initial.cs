using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Integration.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "acknowledgements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    AckMessageHeaderId = table.Column<string>(type: "text", nullable: false),
                    AckBundleId = table.Column<string>(type: "text", nullable: false),
                    Code = table.Column<string>(type: "text", nullable: false),
                    IssueCode = table.Column<string>(type: "text", nullable: true),
                    FhirJson = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PartnerId = table.Column<string>(type: "text", nullable: true),
                    Channel = table.Column<string>(type: "text", nullable: true),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DeliveryAttempts = table.Column<int>(type: "integer", nullable: false),
                    LastDeliveryError = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_acknowledgements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "bundle_receptions",
                columns: table => new
                {
                    SenderKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    BundleId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bundle_receptions", x => new { x.SenderKey, x.BundleId });
                });

            migrationBuilder.CreateTable(
                name: "homecare_alerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    StayId = table.Column<Guid>(type: "uuid", nullable: false),
                    MunicipalityCode = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_homecare_alerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "homecare_citizens",
                columns: table => new
                {
                    MunicipalityCode = table.Column<string>(type: "text", nullable: false),
                    CitizenKey = table.Column<string>(type: "text", nullable: false),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_homecare_citizens", x => new { x.MunicipalityCode, x.CitizenKey });
                });

            migrationBuilder.CreateTable(
                name: "hospital_stays",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MunicipalityCode = table.Column<string>(type: "text", nullable: false),
                    CitizenKey = table.Column<string>(type: "text", nullable: false),
                    CitizenCpr = table.Column<string>(type: "text", nullable: false),
                    StayIdentifier = table.Column<string>(type: "text", nullable: false),
                    HospitalName = table.Column<string>(type: "text", nullable: false),
                    HospitalSor = table.Column<string>(type: "text", nullable: true),
                    WardName = table.Column<string>(type: "text", nullable: true),
                    EncounterClass = table.Column<string>(type: "text", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Corrected = table.Column<bool>(type: "boolean", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LeaveStartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastEventCode = table.Column<string>(type: "text", nullable: true),
                    LastEventAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    ClosedManually = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hospital_stays", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "inbox",
                columns: table => new
                {
                    Consumer = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SenderKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    MessageHeaderId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inbox", x => new { x.Consumer, x.SenderKey, x.MessageHeaderId });
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SenderKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    MessageHeaderId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    BundleId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    MessageType = table.Column<string>(type: "text", nullable: false),
                    EventCode = table.Column<string>(type: "text", nullable: true),
                    SenderPartnerId = table.Column<string>(type: "text", nullable: true),
                    SenderName = table.Column<string>(type: "text", nullable: true),
                    ReceiverKey = table.Column<string>(type: "text", nullable: true),
                    ReceiverPartnerId = table.Column<string>(type: "text", nullable: true),
                    MunicipalityCode = table.Column<string>(type: "text", nullable: true),
                    CitizenKey = table.Column<string>(type: "text", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FailureReason = table.Column<string>(type: "text", nullable: true),
                    DuplicateCount = table.Column<int>(type: "integer", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FhirJson = table.Column<string>(type: "text", nullable: false),
                    SourceEndpoint = table.Column<string>(type: "text", nullable: true),
                    DestinationEndpoint = table.Column<string>(type: "text", nullable: true),
                    SenderEan = table.Column<string>(type: "text", nullable: true),
                    SenderSor = table.Column<string>(type: "text", nullable: true),
                    ReceiverEan = table.Column<string>(type: "text", nullable: true),
                    ReceiverSor = table.Column<string>(type: "text", nullable: true),
                    ReceiverName = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Destination = table.Column<string>(type: "text", nullable: false),
                    MessageType = table.Column<string>(type: "text", nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LockedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "raw_messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ContentType = table.Column<string>(type: "text", nullable: false),
                    Body = table.Column<byte[]>(type: "bytea", nullable: false),
                    Outcome = table.Column<string>(type: "text", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: true),
                    RejectionReason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_raw_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "stay_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StayId = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageHeaderId = table.Column<string>(type: "text", nullable: false),
                    EventCode = table.Column<string>(type: "text", nullable: false),
                    BaseEvent = table.Column<string>(type: "text", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StayStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    StayEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LeaveStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LeaveEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Cancelled = table.Column<bool>(type: "boolean", nullable: false),
                    Replaced = table.Column<bool>(type: "boolean", nullable: false),
                    Matched = table.Column<bool>(type: "boolean", nullable: false),
                    EffectiveAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AppliedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stay_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_stay_events_hospital_stays_StayId",
                        column: x => x.StayId,
                        principalTable: "hospital_stays",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "message_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Detail = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_message_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_message_events_messages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_acknowledgements_AckMessageHeaderId",
                table: "acknowledgements",
                column: "AckMessageHeaderId");

            migrationBuilder.CreateIndex(
                name: "IX_acknowledgements_MessageId",
                table: "acknowledgements",
                column: "MessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_homecare_alerts_MessageId",
                table: "homecare_alerts",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_hospital_stays_MunicipalityCode_CitizenKey_StayIdentifier",
                table: "hospital_stays",
                columns: new[] { "MunicipalityCode", "CitizenKey", "StayIdentifier" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_message_events_MessageId",
                table: "message_events",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_messages_MessageHeaderId",
                table: "messages",
                column: "MessageHeaderId");

            migrationBuilder.CreateIndex(
                name: "IX_messages_SenderKey_MessageHeaderId",
                table: "messages",
                columns: new[] { "SenderKey", "MessageHeaderId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_messages_State_UpdatedAt",
                table: "messages",
                columns: new[] { "State", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_SentAt_Id",
                table: "outbox",
                columns: new[] { "SentAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_raw_messages_MessageId",
                table: "raw_messages",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_raw_messages_ReceivedAt",
                table: "raw_messages",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_stay_events_StayId",
                table: "stay_events",
                column: "StayId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "acknowledgements");

            migrationBuilder.DropTable(
                name: "bundle_receptions");

            migrationBuilder.DropTable(
                name: "homecare_alerts");

            migrationBuilder.DropTable(
                name: "homecare_citizens");

            migrationBuilder.DropTable(
                name: "inbox");

            migrationBuilder.DropTable(
                name: "message_events");

            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropTable(
                name: "raw_messages");

            migrationBuilder.DropTable(
                name: "stay_events");

            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropTable(
                name: "hospital_stays");
        }
    }
}
