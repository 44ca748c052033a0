using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyAccounts.Data;

/// <summary>
/// A save-time rule that keeps something per context between the start and the end of a save: whatever a save that failed or
/// was cancelled left behind is forgotten (<see cref="Forget"/>), so a pooled context starts its next save clean.
/// </summary>
public abstract class PerSaveInterceptor : SaveChangesInterceptor
{
    /// <summary>Drops what this rule keeps for the context.</summary>
    protected abstract void Forget(DbContext context);

    public sealed override void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetContext(eventData.Context);

    public sealed override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetContext(eventData.Context);
        return Task.CompletedTask;
    }

    public sealed override void SaveChangesCanceled(DbContextEventData eventData) => ForgetContext(eventData.Context);

    public sealed override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetContext(eventData.Context);
        return Task.CompletedTask;
    }

    private void ForgetContext(DbContext? context)
    {
        if (context is not null) Forget(context);
    }
}
