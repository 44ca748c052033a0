using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScaleSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Accounts_ArchiveScore",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Name",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OwnerId_Name",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Province_Name",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Tier_Name",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_ArchiveScore_Name_Id",
                table: "Accounts",
                columns: new[] { "ArchiveScore", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Industry_Name_Id",
                table: "Accounts",
                columns: new[] { "Industry", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Name_Id",
                table: "Accounts",
                columns: new[] { "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OwnerId_Name_Id",
                table: "Accounts",
                columns: new[] { "OwnerId", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Province_Name_Id",
                table: "Accounts",
                columns: new[] { "Province", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Tier_Name_Id",
                table: "Accounts",
                columns: new[] { "Tier", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_UpdatedAt_Id",
                table: "Accounts",
                columns: new[] { "UpdatedAt", "Id" });

            // Substring search over names (ListAccounts → AccountSearch): an external-content FTS5 trigram table kept in sync by triggers.
            migrationBuilder.Sql("""
            CREATE VIRTUAL TABLE "AccountNameSearch" USING fts5("Name", content='Accounts', content_rowid='Id', tokenize='trigram');
            CREATE TRIGGER "Accounts_NameSearch_Insert" AFTER INSERT ON "Accounts" BEGIN
                INSERT INTO "AccountNameSearch"(rowid, "Name") VALUES (new."Id", new."Name");
            END;
            CREATE TRIGGER "Accounts_NameSearch_Delete" AFTER DELETE ON "Accounts" BEGIN
                INSERT INTO "AccountNameSearch"("AccountNameSearch", rowid, "Name") VALUES ('delete', old."Id", old."Name");
            END;
            CREATE TRIGGER "Accounts_NameSearch_Update" AFTER UPDATE OF "Name" ON "Accounts" BEGIN
                INSERT INTO "AccountNameSearch"("AccountNameSearch", rowid, "Name") VALUES ('delete', old."Id", old."Name");
                INSERT INTO "AccountNameSearch"(rowid, "Name") VALUES (new."Id", new."Name");
            END;
            INSERT INTO "AccountNameSearch"("AccountNameSearch") VALUES ('rebuild');
            """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
            DROP TRIGGER IF EXISTS "Accounts_NameSearch_Update";
            DROP TRIGGER IF EXISTS "Accounts_NameSearch_Delete";
            DROP TRIGGER IF EXISTS "Accounts_NameSearch_Insert";
            DROP TABLE IF EXISTS "AccountNameSearch";
            """);

            migrationBuilder.DropIndex(
                name: "IX_Accounts_ArchiveScore_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Industry_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OwnerId_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Province_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Tier_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_UpdatedAt_Id",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_ArchiveScore",
                table: "Accounts",
                column: "ArchiveScore");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Name",
                table: "Accounts",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OwnerId_Name",
                table: "Accounts",
                columns: new[] { "OwnerId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Province_Name",
                table: "Accounts",
                columns: new[] { "Province", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Tier_Name",
                table: "Accounts",
                columns: new[] { "Tier", "Name" });
        }
    }
}
