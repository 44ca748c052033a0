namespace KeyAccounts.Features.Demo;

public static class GenerateAccounts
{
    public static Task<int> RunAsync(IServiceProvider services, int accounts, int contactsPerAccount, TextWriter output, CancellationToken ct)
    {
        output.WriteLine("generate: not yet implemented");
        return Task.FromResult(1);
    }
}
