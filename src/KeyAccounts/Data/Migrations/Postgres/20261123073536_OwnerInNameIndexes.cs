using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OwnerInNameIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Accounts_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Tier_Name_Id",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Name_Id",
                table: "Accounts",
                columns: new[] { "Name", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "OwnerId" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Tier_Name_Id",
                table: "Accounts",
                columns: new[] { "Tier", "Name", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "OwnerId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Accounts_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Tier_Name_Id",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Name_Id",
                table: "Accounts",
                columns: new[] { "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Tier_Name_Id",
                table: "Accounts",
                columns: new[] { "Tier", "Name", "Id" });
        }
    }
}
