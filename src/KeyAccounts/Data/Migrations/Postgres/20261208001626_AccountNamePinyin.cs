using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AccountNamePinyin : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Accounts_Book",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_DepartmentId_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OwnerId_Name_Id",
                table: "Accounts");

            migrationBuilder.AddColumn<string>(
                name: "NameCore",
                table: "Accounts",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NamePinyin",
                table: "Accounts",
                type: "character varying(1200)",
                maxLength: 1200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Book",
                table: "Accounts",
                columns: new[] { "OwnerId", "Tier", "ArchiveScore", "Name", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "Code", "NameInitials", "NamePinyin", "Type", "Status", "Province", "Industry", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_DepartmentId_Name_Id",
                table: "Accounts",
                columns: new[] { "DepartmentId", "Name", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "Code", "NameInitials", "NamePinyin" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_NameCore",
                table: "Accounts",
                column: "NameCore");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_NamePinyin_Trigram",
                table: "Accounts",
                column: "NamePinyin")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OwnerId_Name_Id",
                table: "Accounts",
                columns: new[] { "OwnerId", "Name", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "Code", "NameInitials", "NamePinyin" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Unspelled",
                table: "Accounts",
                column: "Id",
                filter: "\"NamePinyin\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Accounts_Book",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_DepartmentId_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_NameCore",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_NamePinyin_Trigram",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OwnerId_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Unspelled",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "NameCore",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "NamePinyin",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Book",
                table: "Accounts",
                columns: new[] { "OwnerId", "Tier", "ArchiveScore", "Name", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "Code", "NameInitials", "Type", "Status", "Province", "Industry", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_DepartmentId_Name_Id",
                table: "Accounts",
                columns: new[] { "DepartmentId", "Name", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "Code", "NameInitials" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OwnerId_Name_Id",
                table: "Accounts",
                columns: new[] { "OwnerId", "Name", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "Code", "NameInitials" });
        }
    }
}
