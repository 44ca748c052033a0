using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MatchInBookIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Accounts_DepartmentId_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OwnerId_Name_Id",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_DepartmentId_Name_Id_Code_NameInitials",
                table: "Accounts",
                columns: new[] { "DepartmentId", "Name", "Id", "Code", "NameInitials" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OwnerId_Name_Id_Code_NameInitials",
                table: "Accounts",
                columns: new[] { "OwnerId", "Name", "Id", "Code", "NameInitials" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Accounts_DepartmentId_Name_Id_Code_NameInitials",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OwnerId_Name_Id_Code_NameInitials",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_DepartmentId_Name_Id",
                table: "Accounts",
                columns: new[] { "DepartmentId", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OwnerId_Name_Id",
                table: "Accounts",
                columns: new[] { "OwnerId", "Name", "Id" });
        }
    }
}
