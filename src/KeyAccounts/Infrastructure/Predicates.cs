using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;

namespace KeyAccounts.Infrastructure;

/// <summary>Conditions joined into one, for queries whose arms are chosen at run time (EF translates the result as one WHERE).</summary>
public static class Predicates
{
    public static Expression<Func<T, bool>> And<T>(Expression<Func<T, bool>> left, Expression<Func<T, bool>> right) =>
        Expression.Lambda<Func<T, bool>>(Expression.AndAlso(left.Body, Body(right, left)), left.Parameters);

    public static Expression<Func<T, bool>> Or<T>(Expression<Func<T, bool>> left, Expression<Func<T, bool>> right) =>
        Expression.Lambda<Func<T, bool>>(Expression.OrElse(left.Body, Body(right, left)), left.Parameters);

    private static Expression Body<T>(Expression<Func<T, bool>> right, Expression<Func<T, bool>> left) =>
        ReplacingExpressionVisitor.Replace(right.Parameters[0], left.Parameters[0], right.Body);
}
