using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KeyAccounts.Infrastructure;

namespace KeyAccounts.Benchmarks;

public static class Processes
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs a command to completion and returns its output; throws with the output when it fails.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, bool echo = false)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        void Collect(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            if (echo) Console.WriteLine("   " + line);
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}):\n{output}");
        return output.ToString();
    }

    /// <summary>PostgreSQL refuses to run as root, so its tools run as the postgres user then (as test.sh does).</summary>
    public static Task<string> RunAsPostgresAsync(string file, params string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", file, .. arguments]) : RunAsync(file, arguments);
}

/// <summary>A throw-away PostgreSQL on a loopback port, fsync off, kept in the data directory so a second run reuses its data.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string bin;
    private readonly string dataDirectory;
    public int Port { get; }
    public string Version { get; }

    private PostgresServer(string bin, string dataDirectory, int port, string version) =>
        (this.bin, this.dataDirectory, Port, Version) = (bin, dataDirectory, port, version);

    public string ConnectionString(string database, int? poolSize = 100) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;{(poolSize is { } size ? $"Maximum Pool Size={size};" : "")}Timeout=30;Command Timeout=0";

    public static async Task<PostgresServer> StartAsync(string directory)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Last() + "/bin";
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var data = Path.Combine(directory, "pg");
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            Directory.CreateDirectory(data);
            if (Processes.IsRoot) await Processes.RunAsync("chown", ["-R", "postgres", data]);
            await Processes.RunAsPostgresAsync($"{bin}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8");
        }
        var port = Processes.FreePort();
        await Processes.RunAsPostgresAsync($"{bin}/pg_ctl", "-D", data, "-l", Path.Combine(data, "server.log"), "-w", "-o",
            $"-h 127.0.0.1 -p {port} -k {data} -F -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 " +
            "-c shared_buffers=1GB -c effective_cache_size=4GB -c work_mem=16MB", "start");
        var version = (await Processes.RunAsync($"{bin}/postgres", ["--version"])).Trim();
        return new PostgresServer(bin, data, port, version);
    }

    /// <summary>CPU time used so far by the server's backends (the postmaster's children), in seconds; a backend that has exited is no longer counted.</summary>
    public double CpuSeconds()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First());
        return ProcessCpu.Seconds(postmaster) + ProcessCpu.ChildrenOf(postmaster).Sum(ProcessCpu.Seconds);
    }

    public async ValueTask DisposeAsync() =>
        await Processes.RunAsPostgresAsync($"{bin}/pg_ctl", "-D", dataDirectory, "-m", "fast", "stop");
}

/// <summary>CPU time of processes from /proc/&lt;pid&gt;/stat (utime + stime, in clock ticks of 1/100 s on Linux).</summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    public static double Seconds(int pid)
    {
        var fields = Fields(pid);
        return fields is null ? 0 : (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
    }

    public static IEnumerable<int> ChildrenOf(int parent) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Fields(pid) is { } f && f[1] == parent.ToString());

    /// <summary>The fields after the command name (which may hold spaces): [0] is the state, [1] the parent, [11] utime, [12] stime.</summary>
    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>The built KeyAccounts app, started on loopback against the benchmark database.</summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly Process process;
    public string BaseUrl { get; }

    private AppServer(Process process, string baseUrl) => (this.process, BaseUrl) = (process, baseUrl);

    /// <summary>
    /// The app's environment: the database, quiet logs, no hourly jobs, and what the runtime needs on this machine to size its
    /// garbage collector's young generation (<see cref="RuntimeTuning"/>, as docs/operations.md tells an operator).
    /// </summary>
    public static Dictionary<string, string> Environment(string provider, string connectionString)
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = provider,
            ["ConnectionStrings__KeyAccounts"] = connectionString,
            ["Bootstrap__AdminUser"] = "admin",
            ["Bootstrap__AdminPassword"] = ScaleRun.AdminPassword,
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Serilog__MinimumLevel__Override__Microsoft"] = "Warning",
            ["Logging__LogLevel__Default"] = "Warning",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // Every simulated user signs in from this one address.
            ["SignInLimits__PerAddress"] = "1000000",
            ["DOTNET_gcServer"] = "0",
            // The hourly jobs (care reminders over 3,000,000 contacts, complaint deadlines…) would run during the first scenarios.
            ["Jobs__Enabled"] = "false",
        };
        foreach (var (name, value) in RuntimeTuning.Environment()) environment[name] = value;
        return environment;
    }

    public static async Task<AppServer> StartAsync(string dll, IDictionary<string, string> environment)
    {
        var port = Processes.FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.WorkingDirectory = Path.GetDirectoryName(dll)!;
        foreach (var (k, v) in environment) start.Environment[k] = v;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("\"@l\":\"Error\"")) Console.WriteLine("   app: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        for (var i = 0; i < 600; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"The app exited with {process.ExitCode} before answering /healthz.");
            try
            {
                if ((await http.GetAsync(url + "/healthz")).IsSuccessStatusCode) return new AppServer(process, url);
            }
            catch (HttpRequestException) { }
            await Task.Delay(500);
        }
        throw new TimeoutException("The app did not answer /healthz within 5 minutes.");
    }

    /// <summary>CPU time (user + system) the server process has used so far, in seconds.</summary>
    public double CpuSeconds() => ProcessCpu.Seconds(process.Id);

    /// <summary>Resident and peak resident memory of the server process, in MB.</summary>
    public (double Rss, double Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{process.Id}/status");
        double Kb(string key) => double.Parse(status.First(l => l.StartsWith(key)).Split(':')[1].Trim().Split(' ')[0]) / 1024;
        return (Kb("VmRSS"), Kb("VmHWM"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
