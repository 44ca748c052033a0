using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EvaluationRunDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DecidedAt",
                table: "EvaluationRuns",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecidedById",
                table: "EvaluationRuns",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecisionReason",
                table: "EvaluationRuns",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Gaps",
                table: "EvaluationRuns",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DecidedAt",
                table: "EvaluationRuns");

            migrationBuilder.DropColumn(
                name: "DecidedById",
                table: "EvaluationRuns");

            migrationBuilder.DropColumn(
                name: "DecisionReason",
                table: "EvaluationRuns");

            migrationBuilder.DropColumn(
                name: "Gaps",
                table: "EvaluationRuns");
        }
    }
}
