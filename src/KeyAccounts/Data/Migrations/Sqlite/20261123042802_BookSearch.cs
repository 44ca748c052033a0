using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BookSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Raw SQL (SQLite only): the FTS5 trigram table behind AccountSearch now holds each name with its owner's key
            // (AccountSearch.SqliteOwnerKey: three characters from the owner id), so that a search inside a book is one MATCH.
            // Contentless: the key is in no table, so the triggers write and delete the index rows themselves.
            migrationBuilder.Sql("""
            DROP TRIGGER IF EXISTS "Accounts_NameSearch_Update";
            DROP TRIGGER IF EXISTS "Accounts_NameSearch_Delete";
            DROP TRIGGER IF EXISTS "Accounts_NameSearch_Insert";
            DROP TABLE IF EXISTS "AccountNameSearch";
            CREATE VIRTUAL TABLE "AccountNameSearch" USING fts5("Name", "OwnerKey", content='', contentless_delete=1, tokenize='trigram');
            CREATE TRIGGER "Accounts_NameSearch_Insert" AFTER INSERT ON "Accounts" BEGIN
                INSERT INTO "AccountNameSearch"(rowid, "Name", "OwnerKey") VALUES (new."Id", new."Name", char(131072 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 1, 1))) - 1) * 4096 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 2, 1))) - 1) * 256 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 3, 1))) - 1) * 16 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 4, 1))) - 1)) || char(131072 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 5, 1))) - 1) * 4096 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 6, 1))) - 1) * 256 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 7, 1))) - 1) * 16 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 8, 1))) - 1)) || char(131072 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 10, 1))) - 1) * 4096 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 11, 1))) - 1) * 256 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 12, 1))) - 1) * 16 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 13, 1))) - 1)));
            END;
            CREATE TRIGGER "Accounts_NameSearch_Delete" AFTER DELETE ON "Accounts" BEGIN
                DELETE FROM "AccountNameSearch" WHERE rowid = old."Id";
            END;
            CREATE TRIGGER "Accounts_NameSearch_Update" AFTER UPDATE OF "Name", "OwnerId" ON "Accounts" BEGIN
                DELETE FROM "AccountNameSearch" WHERE rowid = old."Id";
                INSERT INTO "AccountNameSearch"(rowid, "Name", "OwnerKey") VALUES (new."Id", new."Name", char(131072 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 1, 1))) - 1) * 4096 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 2, 1))) - 1) * 256 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 3, 1))) - 1) * 16 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 4, 1))) - 1)) || char(131072 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 5, 1))) - 1) * 4096 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 6, 1))) - 1) * 256 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 7, 1))) - 1) * 16 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 8, 1))) - 1)) || char(131072 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 10, 1))) - 1) * 4096 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 11, 1))) - 1) * 256 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 12, 1))) - 1) * 16 + (instr('0123456789abcdef', lower(substr(new."OwnerId", 13, 1))) - 1)));
            END;
            INSERT INTO "AccountNameSearch"(rowid, "Name", "OwnerKey") SELECT "Id", "Name", char(131072 + (instr('0123456789abcdef', lower(substr("OwnerId", 1, 1))) - 1) * 4096 + (instr('0123456789abcdef', lower(substr("OwnerId", 2, 1))) - 1) * 256 + (instr('0123456789abcdef', lower(substr("OwnerId", 3, 1))) - 1) * 16 + (instr('0123456789abcdef', lower(substr("OwnerId", 4, 1))) - 1)) || char(131072 + (instr('0123456789abcdef', lower(substr("OwnerId", 5, 1))) - 1) * 4096 + (instr('0123456789abcdef', lower(substr("OwnerId", 6, 1))) - 1) * 256 + (instr('0123456789abcdef', lower(substr("OwnerId", 7, 1))) - 1) * 16 + (instr('0123456789abcdef', lower(substr("OwnerId", 8, 1))) - 1)) || char(131072 + (instr('0123456789abcdef', lower(substr("OwnerId", 10, 1))) - 1) * 4096 + (instr('0123456789abcdef', lower(substr("OwnerId", 11, 1))) - 1) * 256 + (instr('0123456789abcdef', lower(substr("OwnerId", 12, 1))) - 1) * 16 + (instr('0123456789abcdef', lower(substr("OwnerId", 13, 1))) - 1)) FROM "Accounts";
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
    }
}
