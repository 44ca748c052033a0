namespace KeyAccounts.Features.Demo;

public static class SeedDemo
{
    public static Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        output.WriteLine("seed-demo: not yet implemented");
        return Task.FromResult(1);
    }
}
