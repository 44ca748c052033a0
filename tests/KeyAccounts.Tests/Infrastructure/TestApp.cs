using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyAccounts.Tests.Infrastructure;

/// <summary>
/// The real application on a fresh database of the provider named by KEYACCOUNTS_TEST_PROVIDER
/// (Sqlite by default; Postgres takes KEYACCOUNTS_TEST_PG as its server). ./test.sh runs the suite once per provider.
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "Passw0rd!";

    /// <summary>The tests' upload limit: room for the Online Retail orders file, well below the product's default.</summary>
    public const long ImportLimitBytes = 128 * 1024 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public DatabaseProvider Provider { get; } =
        Enum.TryParse<DatabaseProvider>(Environment.GetEnvironmentVariable("KEYACCOUNTS_TEST_PROVIDER"), true, out var p) ? p : DatabaseProvider.Sqlite;

    private readonly string connectionString;
    private readonly string? sqliteFile;
    private readonly string? pgDatabase;
    private readonly Dictionary<string, string> tokens = [];

    /// <summary>The people of the test company: one user per role, two departments under a region.</summary>
    public Dictionary<string, string> UserIds { get; } = [];
    public int CompanyId { get; private set; }
    public int EastRegionId { get; private set; }
    public int EastTeamId { get; private set; }
    public int WestTeamId { get; private set; }

    public TestApp()
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            var server = Environment.GetEnvironmentVariable("KEYACCOUNTS_TEST_PG")
                         ?? throw new InvalidOperationException("KEYACCOUNTS_TEST_PG must name the PostgreSQL server for Postgres test runs (./test.sh sets it).");
            pgDatabase = "ka_test_" + Guid.NewGuid().ToString("N")[..12];
            connectionString = new NpgsqlConnectionStringBuilder(server) { Database = pgDatabase }.ToString();
        }
        else
        {
            sqliteFile = Path.Combine(Path.GetTempPath(), $"ka-test-{Guid.NewGuid():N}.db");
            connectionString = $"Data Source={sqliteFile}";
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:KeyAccounts", connectionString);
        builder.UseSetting("Bootstrap:AdminUser", "admin");
        builder.UseSetting("Bootstrap:AdminPassword", Password);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // Tests trigger jobs directly, so scheduled runs never race them.
        builder.UseSetting("Jobs:Enabled", "false");
        builder.UseSetting("Imports:MaxUploadBytes", ImportLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseEnvironment("Testing");
    }

    public async Task InitializeAsync()
    {
        _ = Server; // starts the app: migrations and the first administrator
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var company = await db.Departments.FirstAsync(d => d.ParentId == null);
        CompanyId = company.Id;
        EastRegionId = await AddDepartmentAsync(db, "华东大区", company);
        var east = await db.Departments.FirstAsync(d => d.Id == EastRegionId);
        EastTeamId = await AddDepartmentAsync(db, "华东销售一部", east);
        WestTeamId = await AddDepartmentAsync(db, "西部销售部", company);

        UserIds["admin"] = (await users.FindByNameAsync("admin"))!.Id;
        await AddUserAsync(users, "leader", Roles.Leader, CompanyId);
        await AddUserAsync(users, "manager", Roles.Manager, EastRegionId);
        await AddUserAsync(users, "rep", Roles.Rep, EastTeamId);
        await AddUserAsync(users, "rep2", Roles.Rep, EastTeamId);
        await AddUserAsync(users, "westrep", Roles.Rep, WestTeamId);
        await AddUserAsync(users, "westmanager", Roles.Manager, WestTeamId);
        await AddUserAsync(users, "engineer", Roles.Engineer, EastTeamId);
        await AddUserAsync(users, "finance", Roles.Finance, CompanyId);
    }

    private static async Task<int> AddDepartmentAsync(AppDb db, string name, Department parent)
    {
        var d = new Department { Name = name, ParentId = parent.Id };
        db.Departments.Add(d);
        await db.SaveChangesAsync();
        d.Path = $"{parent.Path}{d.Id}/";
        await db.SaveChangesAsync();
        return d.Id;
    }

    private async Task AddUserAsync(UserManager<AppUser> users, string userName, string role, int departmentId)
    {
        var user = new AppUser { UserName = userName, DisplayName = userName.ToUpperInvariant(), DepartmentId = departmentId };
        var result = await users.CreateAsync(user, Password);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        UserIds[userName] = user.Id;
    }

    /// <summary>An API client signed in with a bearer token, as integrations use it; <paramref name="node"/> sends it to another instance of the app.</summary>
    public async Task<HttpClient> ClientAsync(string userName, WebApplicationFactory<Program>? node = null)
    {
        if (!tokens.TryGetValue(userName, out var token))
        {
            using var anonymous = CreateClient();
            var response = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { userName, password = Password });
            response.EnsureSuccessStatusCode();
            token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
            tokens[userName] = token;
        }
        var client = (node ?? this).CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A second instance of the app on the same database, as a second machine behind a load balancer would be.</summary>
    public WebApplicationFactory<Program> SecondNode(Action<IServiceCollection>? services = null) =>
        WithWebHostBuilder(b => b.ConfigureServices(s => services?.Invoke(s)));

    /// <summary>A fresh context on the app's database, to assert what was stored.</summary>
    public AppDb Db() => Services.GetRequiredService<Func<AppDb>>()();

    /// <summary>A signed-in user for calling a use case in-process, as the endpoints and pages pass it.</summary>
    public static CurrentUser As(string id, string userName, string role) => CurrentUser.For(new ClaimsPrincipal(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, userName), new Claim(ClaimTypes.Role, role)], "test")));

    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" })
                if (File.Exists(f)) File.Delete(f);
        }
        if (pgDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            var server = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ToString();
            await using var conn = new NpgsqlConnection(server);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{pgDatabase}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<TestApp>
{
    public const string Name = "app";
}
