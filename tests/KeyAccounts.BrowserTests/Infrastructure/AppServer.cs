using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace KeyAccounts.BrowserTests.Infrastructure;

/// <summary>
/// The real KeyAccounts executable, started as a child process on a free loopback port and a fresh database of the
/// provider named by KEYACCOUNTS_TEST_PROVIDER (Sqlite by default; Postgres takes KEYACCOUNTS_TEST_PG as its server).
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    public const string Password = "Passw0rd!";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string? sqliteFile;
    private readonly string? pgDatabase;
    private readonly string connectionString;
    private readonly Dictionary<string, string> tokens = [];
    private readonly HttpClient http;

    public Uri BaseUrl { get; }
    public string Provider { get; }

    /// <summary>The people of the test company, by user name: one user per role.</summary>
    public Dictionary<string, string> UserIds { get; } = [];
    public int CompanyId { get; private set; }
    public int EastRegionId { get; private set; }
    public int EastTeamId { get; private set; }
    public int WestTeamId { get; private set; }

    private AppServer(string provider, string connectionString, string? sqliteFile, string? pgDatabase, int port)
    {
        Provider = provider;
        this.connectionString = connectionString;
        this.sqliteFile = sqliteFile;
        this.pgDatabase = pgDatabase;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };

        var dll = AppDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseUrl.ToString().TrimEnd('/'));
        start.Environment["Database__Provider"] = provider;
        start.Environment["ConnectionStrings__KeyAccounts"] = connectionString;
        start.Environment["Bootstrap__AdminUser"] = "admin";
        start.Environment["Bootstrap__AdminPassword"] = Password;
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The suite signs in again and again from one address, as the same few users.
        start.Environment["SignInLimits__PerAddress"] = "1000000";
        start.Environment["SignInLimits__PerUserName"] = "1000000";
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    /// <summary>What the app printed so far (start-up failures, unhandled exceptions).</summary>
    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    public static async Task<AppServer> StartAsync()
    {
        var provider = Environment.GetEnvironmentVariable("KEYACCOUNTS_TEST_PROVIDER") is { Length: > 0 } p
                       && p.Equals("Postgres", StringComparison.OrdinalIgnoreCase) ? "Postgres" : "Sqlite";
        AppServer server;
        if (provider == "Postgres")
        {
            var pg = Environment.GetEnvironmentVariable("KEYACCOUNTS_TEST_PG")
                     ?? throw new InvalidOperationException("KEYACCOUNTS_TEST_PG must name the PostgreSQL server for Postgres test runs (./test.sh sets it).");
            var database = "ka_browser_" + Guid.NewGuid().ToString("N")[..12];
            await using (var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pg) { Database = "postgres", Pooling = false }.ToString()))
            {
                await conn.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", conn);
                await create.ExecuteNonQueryAsync();
            }
            server = new AppServer(provider, new NpgsqlConnectionStringBuilder(pg) { Database = database }.ToString(), null, database, FreePort());
        }
        else
        {
            var file = Path.Combine(Path.GetTempPath(), $"ka-browser-{Guid.NewGuid():N}.db");
            server = new AppServer(provider, $"Data Source={file}", file, null, FreePort());
        }
        try
        {
            server.process.Start();
            server.process.BeginOutputReadLine();
            server.process.BeginErrorReadLine();
            await server.WaitUntilHealthyAsync();
            await server.SeedAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The built app: Release when ./test.sh built it, else Debug; whichever is newer when both exist.</summary>
    public static string AppDll()
    {
        var root = RepositoryRoot();
        var candidates = new[] { "Release", "Debug" }
            .Select(c => Path.Combine(root, "src", "KeyAccounts", "bin", c, "net10.0", "KeyAccounts.dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .ToList();
        return candidates.FirstOrDefault()
               ?? throw new InvalidOperationException("Build the app first (dotnet build src/KeyAccounts): no KeyAccounts.dll under src/KeyAccounts/bin.");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KeyAccounts.slnx"))) return dir.FullName;
        throw new InvalidOperationException("KeyAccounts.slnx not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilHealthyAsync()
    {
        // Generous: the suite shares two cores with builds and other test runs.
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The app exited with code {process.ExitCode} while starting:\n{Output}");
            try
            {
                using var response = await http.GetAsync("healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The app did not answer /healthz within 180 s:\n{Output}");
    }

    /// <summary>The same small company as the integration tests: a region with a team, a second team, one user per role.</summary>
    private async Task SeedAsync()
    {
        using var admin = await ClientAsync("admin");
        var departments = await admin.GetFromJsonAsync<JsonElement>("api/v1/departments", Json);
        CompanyId = departments.EnumerateArray().First(d => d.GetProperty("parentId").ValueKind == JsonValueKind.Null).GetProperty("id").GetInt32();
        EastRegionId = await CreateDepartmentAsync("华东大区", CompanyId);
        EastTeamId = await CreateDepartmentAsync("华东销售一部", EastRegionId);
        WestTeamId = await CreateDepartmentAsync("西部销售部", CompanyId);
        var me = await admin.GetFromJsonAsync<JsonElement>("api/v1/auth/me", Json);
        UserIds["admin"] = me.GetProperty("id").GetString()!;
        await CreateUserAsync("leader", ["Leader"], CompanyId);
        await CreateUserAsync("manager", ["Manager"], EastRegionId);
        await CreateUserAsync("rep", ["Rep"], EastTeamId);
        await CreateUserAsync("rep2", ["Rep"], EastTeamId);
        await CreateUserAsync("westrep", ["Rep"], WestTeamId);
        await CreateUserAsync("engineer", ["Engineer"], EastTeamId);
        await CreateUserAsync("finance", ["Finance"], CompanyId);
    }

    /// <summary>Creates a user through the API as the administrator; the password is <see cref="Password"/>.</summary>
    public async Task<string> CreateUserAsync(string userName, string[] roles, int? departmentId = null, string? displayName = null)
    {
        using var admin = await ClientAsync("admin");
        var response = await admin.PostAsJsonAsync("api/v1/users",
            new { userName, displayName = displayName ?? userName.ToUpperInvariant(), password = Password, roles, departmentId }, Json);
        var body = await ExpectAsync(response, HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString()!;
        UserIds[userName] = id;
        return id;
    }

    public async Task<int> CreateDepartmentAsync(string name, int parentId)
    {
        using var admin = await ClientAsync("admin");
        var body = await ExpectAsync(await admin.PostAsJsonAsync("api/v1/departments", new { name, parentId }, Json), HttpStatusCode.Created);
        return body.GetProperty("id").GetInt32();
    }

    public sealed record CreatedAccount(long Id, string Code, string Name);

    /// <summary>Creates an account through the API as <paramref name="userName"/> (its owner unless <paramref name="fields"/> names another).</summary>
    public async Task<CreatedAccount> CreateAccountAsync(string userName, string? name = null, string type = "Customer", object? fields = null)
    {
        var code = Unique("BT");
        name ??= $"浙江{code}精密机械有限公司";
        var body = new Dictionary<string, object?> { ["code"] = code, ["name"] = name, ["type"] = type };
        if (fields is not null)
            foreach (var p in fields.GetType().GetProperties()) body[p.Name] = p.GetValue(fields);
        var created = await PostAsync(userName, "api/v1/accounts", body);
        return new CreatedAccount(created.GetProperty("id").GetInt64(), code, name);
    }

    /// <summary>An API client with the user's bearer token, to arrange data for a browser test.</summary>
    public async Task<HttpClient> ClientAsync(string userName, string password = Password)
    {
        if (!tokens.TryGetValue(userName, out var token))
        {
            var body = await ExpectAsync(await http.PostAsJsonAsync("api/v1/auth/token", new { userName, password }, Json), HttpStatusCode.OK);
            token = body.GetProperty("accessToken").GetString()!;
            tokens[userName] = token;
        }
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>POSTs JSON as the user and returns the body, failing with the problem details when the status is not the expected one.</summary>
    public async Task<JsonElement> PostAsync(string userName, string path, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var client = await ClientAsync(userName);
        return await ExpectAsync(await client.PostAsJsonAsync(path.TrimStart('/'), body, Json), expected);
    }

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text, Json);
    }

    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started: nothing to stop.
        }
        process.Dispose();

        if (sqliteFile is not null)
            foreach (var f in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" })
                if (File.Exists(f)) File.Delete(f);
        if (pgDatabase is not null)
        {
            var server = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ToString();
            await using var conn = new NpgsqlConnection(server);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{pgDatabase}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
