using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyAccounts.Data.Migrations.Postgres
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
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UpdatedAt",
                table: "SurveyTemplates",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "SurveyTemplates",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "FromVersion",
                table: "SurveyQuestions",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "ToVersion",
                table: "SurveyQuestions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TemplateVersion",
                table: "SurveyInvitations",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AlterColumn<string>(
                name: "WebhookUrl",
                table: "NotificationChannelSettings",
                type: "character varying(3000)",
                maxLength: 3000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Secret",
                table: "NotificationChannelSettings",
                type: "character varying(1200)",
                maxLength: 1200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldNullable: true);

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

            migrationBuilder.AlterColumn<string>(
                name: "WebhookUrl",
                table: "NotificationChannelSettings",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(3000)",
                oldMaxLength: 3000,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Secret",
                table: "NotificationChannelSettings",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(1200)",
                oldMaxLength: 1200,
                oldNullable: true);
        }
    }
}
