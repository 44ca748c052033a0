using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace KeyAccounts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Evaluation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EvaluationModels",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LineageId = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ModelVersion = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Criteria = table.Column<string>(type: "text", nullable: false),
                    WeightMethod = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AhpMatrix = table.Column<string>(type: "text", nullable: true),
                    ConsistencyRatio = table.Column<double>(type: "double precision", nullable: true),
                    TierRules = table.Column<string>(type: "text", nullable: false),
                    MissingJudgements = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Schedule = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ActivatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationModels", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "JudgedScores",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AccountId = table.Column<long>(type: "bigint", nullable: false),
                    Criterion = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PeriodStart = table.Column<DateOnly>(type: "date", nullable: false),
                    PeriodEnd = table.Column<DateOnly>(type: "date", nullable: false),
                    Score = table.Column<decimal>(type: "numeric(6,2)", precision: 6, scale: 2, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    ScoredById = table.Column<string>(type: "text", nullable: false),
                    ScoredByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ScoredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JudgedScores", x => x.Id);
                    table.ForeignKey(
                        name: "FK_JudgedScores_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EvaluationRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ModelId = table.Column<long>(type: "bigint", nullable: false),
                    ModelVersion = table.Column<int>(type: "integer", nullable: false),
                    ModelName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PeriodStart = table.Column<DateOnly>(type: "date", nullable: false),
                    PeriodEnd = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ScheduleKey = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    PreviousRunId = table.Column<long>(type: "bigint", nullable: true),
                    AccountCount = table.Column<int>(type: "integer", nullable: false),
                    Notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedById = table.Column<string>(type: "text", nullable: true),
                    PublishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    PublishedById = table.Column<string>(type: "text", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvaluationRuns_EvaluationModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "EvaluationModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "EvaluationResults",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    AccountId = table.Column<long>(type: "bigint", nullable: false),
                    Score = table.Column<decimal>(type: "numeric(9,4)", precision: 9, scale: 4, nullable: false),
                    Rank = table.Column<int>(type: "integer", nullable: false),
                    ProposedTier = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Tier = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PreviousTier = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Change = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Factors = table.Column<string>(type: "text", nullable: false),
                    Explanation = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    OverrideReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    OverriddenById = table.Column<string>(type: "text", nullable: true),
                    OverriddenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationResults", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvaluationResults_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EvaluationResults_EvaluationRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "EvaluationRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationModels_LineageId_ModelVersion",
                table: "EvaluationModels",
                columns: new[] { "LineageId", "ModelVersion" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationModels_Status_ActivatedAt",
                table: "EvaluationModels",
                columns: new[] { "Status", "ActivatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationResults_AccountId_RunId",
                table: "EvaluationResults",
                columns: new[] { "AccountId", "RunId" });

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationResults_RunId_AccountId",
                table: "EvaluationResults",
                columns: new[] { "RunId", "AccountId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationResults_RunId_Change_Rank",
                table: "EvaluationResults",
                columns: new[] { "RunId", "Change", "Rank" });

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationResults_RunId_Rank",
                table: "EvaluationResults",
                columns: new[] { "RunId", "Rank" });

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationResults_RunId_Tier_Rank",
                table: "EvaluationResults",
                columns: new[] { "RunId", "Tier", "Rank" });

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationRuns_ModelId",
                table: "EvaluationRuns",
                column: "ModelId");

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationRuns_ScheduleKey",
                table: "EvaluationRuns",
                column: "ScheduleKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationRuns_Status_PublishedAt",
                table: "EvaluationRuns",
                columns: new[] { "Status", "PublishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_JudgedScores_AccountId",
                table: "JudgedScores",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_JudgedScores_PeriodStart_PeriodEnd_Criterion_AccountId",
                table: "JudgedScores",
                columns: new[] { "PeriodStart", "PeriodEnd", "Criterion", "AccountId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EvaluationResults");

            migrationBuilder.DropTable(
                name: "JudgedScores");

            migrationBuilder.DropTable(
                name: "EvaluationRuns");

            migrationBuilder.DropTable(
                name: "EvaluationModels");
        }
    }
}
