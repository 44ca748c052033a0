using KeyAccounts.Data;
using Npgsql;

namespace KeyAccounts.Tests.Infrastructure;

public class PostgresConnectionStringTests
{
    private static NpgsqlConnectionStringBuilder Settings(string connectionString) => new(DataSetup.PostgresConnectionString(connectionString));

    [Fact]
    public void A_plain_connection_string_gets_prepared_statements_no_reset_and_a_small_pool()
    {
        var settings = Settings("Host=db;Database=keyaccounts;Username=app");
        Assert.Equal(64, settings.MaxAutoPrepare);
        Assert.True(settings.NoResetOnClose);
        Assert.Equal(DataSetup.PostgresPoolSize, settings.MaxPoolSize);
        Assert.Equal("db", settings.Host);
        Assert.Equal("keyaccounts", settings.Database);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false;Maximum Pool Size=100")]
    [InlineData("Host=db;maxautoprepare=0;noresetonclose=false;maxpoolsize=100")]
    public void Settings_the_connection_string_gives_keep_their_values(string connectionString)
    {
        var settings = Settings(connectionString);
        Assert.Equal(0, settings.MaxAutoPrepare);
        Assert.False(settings.NoResetOnClose);
        Assert.Equal(100, settings.MaxPoolSize);
    }

    [Theory]
    [InlineData("Host=db;Database=keyaccounts", "-c plan_cache_mode=force_generic_plan")]
    [InlineData("Host=db;Database=keyaccounts;Options=-c statement_timeout=5000", "-c statement_timeout=5000 -c plan_cache_mode=force_generic_plan")]
    public void The_lists_pool_plans_generically_and_keeps_the_given_options(string connectionString, string options)
    {
        var lists = new NpgsqlConnectionStringBuilder(PostgresAppDb.GenericPlans(connectionString));
        Assert.Equal(options, lists.Options);
        Assert.Equal("keyaccounts", lists.Database);
        Assert.Equal(lists.ConnectionString, PostgresAppDb.GenericPlans(connectionString));
    }
}
