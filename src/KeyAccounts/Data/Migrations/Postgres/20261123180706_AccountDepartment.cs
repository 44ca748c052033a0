using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AccountDepartment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "DepartmentId",
                table: "Accounts",
                type: "integer",
                nullable: true);

            // Filled from the owners before its indexes are built (AccountDepartments).
            migrationBuilder.Sql("""
                UPDATE "Accounts" AS a SET "DepartmentId" = u."DepartmentId"
                FROM "AspNetUsers" AS u WHERE u."Id" = a."OwnerId" AND u."DepartmentId" IS NOT NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_DepartmentId_Name_Id",
                table: "Accounts",
                columns: new[] { "DepartmentId", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_DepartmentId_Tier_Name_Id",
                table: "Accounts",
                columns: new[] { "DepartmentId", "Tier", "Name", "Id" });

            migrationBuilder.AddForeignKey(
                name: "FK_Accounts_Departments_DepartmentId",
                table: "Accounts",
                column: "DepartmentId",
                principalTable: "Departments",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // The planner's statistics for the new column: whether a Manager's page walks its indexes depends on these.
            migrationBuilder.Sql("""ANALYZE "Accounts";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Accounts_Departments_DepartmentId",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_DepartmentId_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_DepartmentId_Tier_Name_Id",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "DepartmentId",
                table: "Accounts");
        }
    }
}
