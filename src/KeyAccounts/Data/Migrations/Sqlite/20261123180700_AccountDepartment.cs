using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccountDepartment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The column with its foreign key in one ALTER TABLE: EF would otherwise rebuild the accounts table for the key (and drop
            // the name-search triggers with it). Filled from the owners before its indexes are built (AccountDepartments).
            migrationBuilder.Sql("""
                ALTER TABLE "Accounts" ADD "DepartmentId" INTEGER NULL CONSTRAINT "FK_Accounts_Departments_DepartmentId"
                    REFERENCES "Departments" ("Id") ON DELETE RESTRICT;
                UPDATE "Accounts" SET "DepartmentId" = (SELECT u."DepartmentId" FROM "AspNetUsers" AS u WHERE u."Id" = "Accounts"."OwnerId");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_DepartmentId_Name_Id",
                table: "Accounts",
                columns: new[] { "DepartmentId", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_DepartmentId_Tier_Name_Id",
                table: "Accounts",
                columns: new[] { "DepartmentId", "Tier", "Name", "Id" });

            // The planner's statistics for the new indexes: whether a Manager's page walks them depends on these.
            migrationBuilder.Sql("""ANALYZE "IX_Accounts_DepartmentId_Name_Id"; ANALYZE "IX_Accounts_DepartmentId_Tier_Name_Id";""");
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
