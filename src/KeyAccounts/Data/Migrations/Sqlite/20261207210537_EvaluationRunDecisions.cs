using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecidedById",
                table: "EvaluationRuns",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecisionReason",
                table: "EvaluationRuns",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Gaps",
                table: "EvaluationRuns",
                type: "TEXT",
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
