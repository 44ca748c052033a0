using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SalesPolicies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SalesPolicies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SalesPolicies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SalesPolicyVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PolicyId = table.Column<long>(type: "INTEGER", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ValidTo = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Priority = table.Column<int>(type: "INTEGER", nullable: false),
                    Tiers = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    AccountTypes = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    MinRevenue12m = table.Column<double>(type: "REAL", precision: 18, scale: 2, nullable: true),
                    MinContracts12m = table.Column<int>(type: "INTEGER", nullable: true),
                    MinCollectionRate = table.Column<double>(type: "REAL", precision: 9, scale: 4, nullable: true),
                    MaxQualityLoss12m = table.Column<double>(type: "REAL", precision: 18, scale: 2, nullable: true),
                    MinActiveMonths12m = table.Column<int>(type: "INTEGER", nullable: true),
                    MinAverageUnitPrice12m = table.Column<double>(type: "REAL", precision: 18, scale: 2, nullable: true),
                    DiscountPercent = table.Column<double>(type: "REAL", precision: 9, scale: 4, nullable: true),
                    PaymentTermDays = table.Column<int>(type: "INTEGER", nullable: true),
                    CreditLimit = table.Column<double>(type: "REAL", precision: 18, scale: 2, nullable: true),
                    CommissionRate = table.Column<double>(type: "REAL", precision: 9, scale: 6, nullable: true),
                    ExpenseBudget = table.Column<double>(type: "REAL", precision: 18, scale: 2, nullable: true),
                    LeadershipVisitsPerYear = table.Column<int>(type: "INTEGER", nullable: true),
                    TechnicalVisitsPerYear = table.Column<int>(type: "INTEGER", nullable: true),
                    BusinessVisitsPerYear = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SalesPolicyVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SalesPolicyVersions_SalesPolicies_PolicyId",
                        column: x => x.PolicyId,
                        principalTable: "SalesPolicies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SalesPolicies_Name",
                table: "SalesPolicies",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_SalesPolicyVersions_PolicyId",
                table: "SalesPolicyVersions",
                column: "PolicyId");

            migrationBuilder.CreateIndex(
                name: "IX_SalesPolicyVersions_ValidFrom_ValidTo",
                table: "SalesPolicyVersions",
                columns: new[] { "ValidFrom", "ValidTo" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SalesPolicyVersions");

            migrationBuilder.DropTable(
                name: "SalesPolicies");
        }
    }
}
