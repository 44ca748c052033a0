using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BookIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Book",
                table: "Accounts",
                columns: new[] { "OwnerId", "Tier", "ArchiveScore", "Name", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "Code", "NameInitials", "Type", "Status", "Province", "Industry", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Accounts_Book",
                table: "Accounts");
        }
    }
}
