namespace KeyAccounts.Analytics;

/// <summary>A judgement of the pairwise matrix that disagrees most with the derived weights: a_ij against w_i / w_j.</summary>
public sealed record AhpJudgement(int Row, int Column, double Given, double Implied, double Deviation);

/// <summary>A cell of a pairwise matrix that cannot be used, 0-based.</summary>
public sealed record AhpCellError(int Row, int Column, string Message);

public sealed record AhpResult(
    IReadOnlyList<double> Weights, double LambdaMax, double ConsistencyIndex, double ConsistencyRatio,
    IReadOnlyList<AhpJudgement> MostInconsistent)
{
    public bool IsConsistent => ConsistencyRatio < Ahp.ConsistencyLimit;
}

/// <summary>
/// Saaty's analytic hierarchy process: weights are the principal eigenvector of a positive reciprocal matrix of pairwise
/// judgements (found by power iteration, which converges for positive matrices by Perron–Frobenius), and the consistency
/// ratio CR = CI / RI with CI = (λmax − n) / (n − 1) and Saaty's random index RI.
/// </summary>
public static class Ahp
{
    public const double ConsistencyLimit = 0.1;

    /// <summary>Saaty's random index for n = 1..15 (the first ten as published with the method).</summary>
    public static readonly double[] RandomIndex = [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59];

    /// <summary>Saaty's scale: a judgement says how many times more important one criterion is than another, from 1/9 to 9.</summary>
    public const double ScaleMax = 9;

    /// <summary>The scale's values as the editor offers them, weakest first: 1/9 … 1/2, 1, 2 … 9.</summary>
    public static readonly double[] Scale = [.. Enumerable.Range(2, 8).Reverse().Select(d => 1.0 / d), .. Enumerable.Range(1, 9).Select(d => (double)d)];

    /// <summary>Judgements typed as rounded fractions (0.33 for 1/3) still count as reciprocal.</summary>
    public const double ReciprocalTolerance = 0.02;

    public static IReadOnlyList<AhpCellError> Validate(IReadOnlyList<IReadOnlyList<double>>? matrix)
    {
        var errors = new List<AhpCellError>();
        if (matrix is null || matrix.Count == 0) return [new AhpCellError(0, 0, "The matrix is empty.")];
        var n = matrix.Count;
        if (n > RandomIndex.Length) return [new AhpCellError(n - 1, 0, $"At most {RandomIndex.Length} criteria can be compared; there are {n}.")];
        for (var i = 0; i < n; i++)
            if (matrix[i] is null || matrix[i].Count != n)
                errors.Add(new AhpCellError(i, Math.Min(matrix[i]?.Count ?? 0, n), $"Row {i + 1} has {matrix[i]?.Count ?? 0} cells; a square matrix of {n} criteria needs {n}."));
        if (errors.Count > 0) return errors;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                var a = matrix[i][j];
                if (double.IsNaN(a) || double.IsInfinity(a) || a <= 0)
                    errors.Add(new AhpCellError(i, j, $"Cell ({i + 1},{j + 1}) is {a}; every judgement must be a positive number."));
                else if (i == j && Math.Abs(a - 1) > 1e-9)
                    errors.Add(new AhpCellError(i, j, $"Cell ({i + 1},{j + 1}) is {a}; the diagonal must be 1."));
                else if (a > ScaleMax * (1 + ReciprocalTolerance) || a < 1 / ScaleMax * (1 - ReciprocalTolerance))
                    errors.Add(new AhpCellError(i, j, $"Cell ({i + 1},{j + 1}) is {a}; Saaty's scale runs from 1/9 to 9."));
            }
        if (errors.Count > 0) return errors;
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
                if (Math.Abs(matrix[i][j] * matrix[j][i] - 1) > ReciprocalTolerance)
                    errors.Add(new AhpCellError(j, i, $"Cell ({j + 1},{i + 1}) is {matrix[j][i]} but must be the reciprocal of cell ({i + 1},{j + 1}) = {matrix[i][j]}, i.e. {1 / matrix[i][j]:0.###}."));
        return errors;
    }

    /// <summary>Weights and consistency of a matrix that passed <see cref="Validate"/>.</summary>
    public static AhpResult Compute(IReadOnlyList<IReadOnlyList<double>> matrix, int mostInconsistent = 3)
    {
        var n = matrix.Count;
        var w = Enumerable.Repeat(1.0 / n, n).ToArray();
        var next = new double[n];
        for (var iteration = 0; iteration < 10_000; iteration++)
        {
            Multiply(matrix, w, next);
            var sum = next.Sum();
            var change = 0.0;
            for (var i = 0; i < n; i++)
            {
                next[i] /= sum;
                change = Math.Max(change, Math.Abs(next[i] - w[i]));
            }
            (w, next) = (next, w);
            if (change < 1e-13) break;
        }
        Multiply(matrix, w, next);
        var lambda = Enumerable.Range(0, n).Average(i => next[i] / w[i]);
        var ci = n <= 2 ? 0 : Math.Max(0, (lambda - n) / (n - 1));
        var ri = RandomIndex[n - 1];
        var cr = ri == 0 ? 0 : ci / ri;

        var judgements = new List<AhpJudgement>();
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                var implied = w[i] / w[j];
                var given = matrix[i][j];
                judgements.Add(new AhpJudgement(i, j, given, implied, Math.Max(given / implied, implied / given)));
            }
        var worst = judgements.Where(j => j.Deviation > 1.0001).OrderByDescending(j => j.Deviation).Take(mostInconsistent).ToList();
        return new AhpResult(w, lambda, ci, cr, worst);
    }

    private static void Multiply(IReadOnlyList<IReadOnlyList<double>> a, double[] x, double[] result)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var s = 0.0;
            for (var j = 0; j < x.Length; j++) s += a[i][j] * x[j];
            result[i] = s;
        }
    }
}
