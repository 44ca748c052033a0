using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EvaluationResultsByRun : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_EvaluationResults_Accounts_AccountId",
                table: "EvaluationResults");

            migrationBuilder.DropForeignKey(
                name: "FK_EvaluationResults_EvaluationRuns_RunId",
                table: "EvaluationResults");

            migrationBuilder.DropPrimaryKey(
                name: "PK_EvaluationResults",
                table: "EvaluationResults");

            migrationBuilder.DropIndex(
                name: "IX_EvaluationResults_AccountId_RunId",
                table: "EvaluationResults");

            migrationBuilder.DropIndex(
                name: "IX_EvaluationResults_RunId_AccountId",
                table: "EvaluationResults");

            migrationBuilder.DropColumn(
                name: "Id",
                table: "EvaluationResults");

            migrationBuilder.RenameColumn(
                name: "Factors",
                table: "EvaluationResults",
                newName: "FactorValues");

            migrationBuilder.AddPrimaryKey(
                name: "PK_EvaluationResults",
                table: "EvaluationResults",
                columns: new[] { "RunId", "AccountId" });
            // Hand-written: the factors of earlier runs from their JSON form ([{"c","r","n","w","x"}, …]) to the positional
            // "raw points contribution …" form; names and weights are read from the run's model version (RunCriteria).
            migrationBuilder.Sql("""
                UPDATE "EvaluationResults" SET "FactorValues" = COALESCE((
                    SELECT group_concat(v, ' ') FROM (
                        SELECT json_extract(j.value, '$.r') || ' ' || json_extract(j.value, '$.n') || ' ' || json_extract(j.value, '$.x') AS v
                        FROM json_each("EvaluationResults"."FactorValues") AS j ORDER BY j.key)), '')
                WHERE "FactorValues" LIKE '[%';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            throw new NotSupportedException("The factors of evaluation results are stored without their criterion names and weights since this migration; it cannot be undone.");
        }
    }
}
