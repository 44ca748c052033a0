using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Sqlite
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
                name: "IX_Accounts_DepartmentId_Name_Id_Code_NameInitials",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OwnerId_Name_Id_Code_NameInitials",
                table: "Accounts");

            migrationBuilder.AddColumn<string>(
                name: "NameCore",
                table: "Accounts",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NamePinyin",
                table: "Accounts",
                type: "TEXT",
                maxLength: 1200,
                nullable: true);

            // The name search's FTS5 table gets the full pinyin as a second column: an FTS5 table's columns are fixed, so it is
            // made again, with its triggers; the start-up backfill then spells every row, and the update trigger indexes each.
            migrationBuilder.Sql(DropNameSearch);
            migrationBuilder.Sql(NameSearchIndex.SqliteCreate + NameSearchIndex.SqliteTriggers + NameSearchIndex.SqliteRebuild);

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Book",
                table: "Accounts",
                columns: new[] { "OwnerId", "Tier", "ArchiveScore", "Name", "Id", "Code", "NameInitials", "NamePinyin", "Type", "Status", "Province", "Industry", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_DepartmentId_Name_Id_Code_NameInitials_NamePinyin",
                table: "Accounts",
                columns: new[] { "DepartmentId", "Name", "Id", "Code", "NameInitials", "NamePinyin" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_NameCore",
                table: "Accounts",
                column: "NameCore");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OwnerId_Name_Id_Code_NameInitials_NamePinyin",
                table: "Accounts",
                columns: new[] { "OwnerId", "Name", "Id", "Code", "NameInitials", "NamePinyin" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Unspelled",
                table: "Accounts",
                column: "Id",
                filter: "\"NamePinyin\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(DropNameSearch);

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Book",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_DepartmentId_Name_Id_Code_NameInitials_NamePinyin",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_NameCore",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OwnerId_Name_Id_Code_NameInitials_NamePinyin",
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
                columns: new[] { "OwnerId", "Tier", "ArchiveScore", "Name", "Id", "Code", "NameInitials", "Type", "Status", "Province", "Industry", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_DepartmentId_Name_Id_Code_NameInitials",
                table: "Accounts",
                columns: new[] { "DepartmentId", "Name", "Id", "Code", "NameInitials" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OwnerId_Name_Id_Code_NameInitials",
                table: "Accounts",
                columns: new[] { "OwnerId", "Name", "Id", "Code", "NameInitials" });

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

        private const string DropNameSearch = """
            DROP TRIGGER IF EXISTS "Accounts_NameSearch_Insert";
            DROP TRIGGER IF EXISTS "Accounts_NameSearch_Delete";
            DROP TRIGGER IF EXISTS "Accounts_NameSearch_Update";
            DROP TABLE IF EXISTS "AccountNameSearch";
            """;
    }
}
