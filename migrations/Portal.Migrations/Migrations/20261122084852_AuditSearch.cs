using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Portal.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AuditSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "audit_events",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('simple', \"ActorName\" || ' ' || replace(\"Action\", '.', ' ') || ' ' || \"TargetType\" || ' ' || \"TargetId\" || ' ' || coalesce(\"Before\"::text, '') || ' ' || coalesce(\"After\"::text, ''))",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_SearchVector",
                table: "audit_events",
                column: "SearchVector")
                .Annotation("Npgsql:IndexMethod", "GIN");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_audit_events_SearchVector",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "SearchVector",
                table: "audit_events");
        }
    }
}
