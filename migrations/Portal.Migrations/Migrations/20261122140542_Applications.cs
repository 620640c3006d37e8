using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Portal.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Applications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "applications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedById = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_applications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_applications_tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "application_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Lattice = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Version = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Message = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Data = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_application_events_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "application_versions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    Submitted = table.Column<string>(type: "text", nullable: false),
                    SubmittedFormat = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Canonical = table.Column<string>(type: "jsonb", nullable: false),
                    Digest = table.Column<string>(type: "character varying(71)", maxLength: 71, nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ImageRefs = table.Column<string[]>(type: "text[]", nullable: false),
                    CreatedById = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_versions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_application_versions_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "deployments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "uuid", nullable: false),
                    LatticeId = table.Column<Guid>(type: "uuid", nullable: false),
                    DesiredVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    PreviousVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    DesiredState = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StatusType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StatusMessage = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Scalers = table.Column<string>(type: "jsonb", nullable: false),
                    StatusUpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DeployedById = table.Column<Guid>(type: "uuid", nullable: true),
                    DeployedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    DeployedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_deployments_application_versions_DesiredVersionId",
                        column: x => x.DesiredVersionId,
                        principalTable: "application_versions",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_deployments_application_versions_PreviousVersionId",
                        column: x => x.PreviousVersionId,
                        principalTable: "application_versions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_deployments_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_deployments_lattices_LatticeId",
                        column: x => x.LatticeId,
                        principalTable: "lattices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_application_events_ApplicationId_Id",
                table: "application_events",
                columns: new[] { "ApplicationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_application_versions_ApplicationId_Sequence",
                table: "application_versions",
                columns: new[] { "ApplicationId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_application_versions_ApplicationId_Version",
                table: "application_versions",
                columns: new[] { "ApplicationId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_application_versions_ImageRefs",
                table: "application_versions",
                column: "ImageRefs")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "IX_applications_TenantId_Name",
                table: "applications",
                columns: new[] { "TenantId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_deployments_ApplicationId_LatticeId",
                table: "deployments",
                columns: new[] { "ApplicationId", "LatticeId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_deployments_DesiredVersionId",
                table: "deployments",
                column: "DesiredVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_deployments_LatticeId",
                table: "deployments",
                column: "LatticeId");

            migrationBuilder.CreateIndex(
                name: "IX_deployments_PreviousVersionId",
                table: "deployments",
                column: "PreviousVersionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "application_events");

            migrationBuilder.DropTable(
                name: "deployments");

            migrationBuilder.DropTable(
                name: "application_versions");

            migrationBuilder.DropTable(
                name: "applications");
        }
    }
}
