using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ServiceAdmin : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "RetiredAt",
                table: "SurveyTemplates",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UpdatedAt",
                table: "SurveyTemplates",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "SurveyTemplates",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "FromVersion",
                table: "SurveyQuestions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "ToVersion",
                table: "SurveyQuestions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TemplateVersion",
                table: "SurveyInvitations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateIndex(
                name: "IX_SurveyTemplates_RetiredAt_Name",
                table: "SurveyTemplates",
                columns: new[] { "RetiredAt", "Name" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SurveyTemplates_RetiredAt_Name",
                table: "SurveyTemplates");

            migrationBuilder.DropColumn(
                name: "RetiredAt",
                table: "SurveyTemplates");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "SurveyTemplates");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "SurveyTemplates");

            migrationBuilder.DropColumn(
                name: "FromVersion",
                table: "SurveyQuestions");

            migrationBuilder.DropColumn(
                name: "ToVersion",
                table: "SurveyQuestions");

            migrationBuilder.DropColumn(
                name: "TemplateVersion",
                table: "SurveyInvitations");
        }
    }
}
