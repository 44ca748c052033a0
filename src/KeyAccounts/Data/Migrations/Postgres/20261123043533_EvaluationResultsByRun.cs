using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Postgres
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
                UPDATE "EvaluationResults" r SET "FactorValues" = COALESCE((
                    SELECT string_agg(concat_ws(' ', e->>'r', e->>'n', e->>'x'), ' ' ORDER BY o)
                    FROM jsonb_array_elements(r."FactorValues"::jsonb) WITH ORDINALITY AS t(e, o)), '')
                WHERE r."FactorValues" LIKE '[%';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            throw new NotSupportedException("The factors of evaluation results are stored without their criterion names and weights since this migration; it cannot be undone.");
        }
    }
}
