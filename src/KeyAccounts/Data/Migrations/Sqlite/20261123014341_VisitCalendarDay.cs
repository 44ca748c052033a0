using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VisitCalendarDay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_VisitAttendees_UserId",
                table: "VisitAttendees");

            migrationBuilder.AddColumn<DateOnly>(
                name: "Day",
                table: "VisitAttendees",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.CreateIndex(
                name: "IX_VisitAttendees_UserId_Day",
                table: "VisitAttendees",
                columns: new[] { "UserId", "Day" });

            // Back-fill: each attendee row takes its visit's calendar day (the day it took place, else the planned day).
            migrationBuilder.Sql("""UPDATE "VisitAttendees" SET "Day" = (SELECT COALESCE(v."VisitedOn", v."PlannedOn") FROM "Visits" v WHERE v."Id" = "VisitAttendees"."VisitId");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_VisitAttendees_UserId_Day",
                table: "VisitAttendees");

            migrationBuilder.DropColumn(
                name: "Day",
                table: "VisitAttendees");

            migrationBuilder.CreateIndex(
                name: "IX_VisitAttendees_UserId",
                table: "VisitAttendees",
                column: "UserId");
        }
    }
}
