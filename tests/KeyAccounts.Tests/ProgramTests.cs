using System.Diagnostics;

namespace KeyAccounts.Tests;

public sealed class ProgramTests
{
    /// <summary>The app as built (Release when ./test.sh built it, else Debug; the newer when both exist), as a service starts it.</summary>
    private static string AppDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KeyAccounts.slnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return new[] { "Release", "Debug" }
            .Select(c => Path.Combine(dir.FullName, "src", "KeyAccounts", "bin", c, "net10.0", "KeyAccounts.dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .First();
    }

    [Fact]
    public async Task Start_FromAnotherDirectory_ReadsTheSettingsBesideTheApp()
    {
        var elsewhere = Directory.CreateTempSubdirectory("ka-elsewhere-");
        try
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = elsewhere.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(AppDll());
            start.ArgumentList.Add("migrate");
            start.Environment["ConnectionStrings__KeyAccounts"] = $"Data Source={Path.Combine(elsewhere.FullName, "ka.db")}";
            start.Environment["Bootstrap__AdminPassword"] = "Passw0rd!";
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            var log = await output + await errors;

            Assert.True(process.ExitCode == 0, log);
            // Information is written (the first administrator is announced), but appsettings.json's override keeps EF Core's statements out.
            Assert.Contains("Created the first administrator", log);
            Assert.DoesNotContain("Executed DbCommand", log);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            elsewhere.Delete(recursive: true);
        }
    }
}
