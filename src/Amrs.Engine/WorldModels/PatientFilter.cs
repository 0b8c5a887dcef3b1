using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// What the patient's own responses say about them, learned as a Bayesian linear regression that is updated after
/// every step: for each of engagement, valence and arousal, the observed value y_k of step k (minus a centre) is
/// phi_k^T w + noise (variance r), with a prior w ~ N(0, I / lambda) and the patient's weights w unknown. The features
/// phi_k = A(step context and session block before step k) + B(track k's genre buckets and descriptors) are learned,
/// as are lambda and r per axis. After step k the posterior precision gains phi_k phi_k^T / r and its information
/// phi_k y_k / r (only where y_k was observed), so the state at every token carries the exact posterior given every
/// earlier observation in the model's window, and a candidate's value is read off it as its predicted deviation
/// phi^T mean and that prediction's variance phi^T covariance phi (<see cref="Lookup"/>).
/// <para>
/// Why: the summary's hand-made estimates (the fitted baseline per rate, taste per genre and descriptor) each answer one
/// question with a fixed shrinkage; the filter weighs every observation by how much it says, for features the training
/// data chooses. What it gained on the default world: see <see cref="WorldModel"/> and the Engine README.
/// </para>
/// The sums are cumulative over tokens, so a whole window is one cumsum; <see cref="FilterMemory"/> carries them across
/// <see cref="WorldModel.Extend"/> calls, so a rollout continues the posterior where the history left it.
/// </summary>
internal sealed class PatientFilter : nn.Module
{
    /// <summary>Engagement, valence, arousal.</summary>
    public const int Axes = 3;
    /// <summary>Per axis the candidate's predicted deviation and the log of its variance.</summary>
    public const int PairValues = 2 * Axes;
    private static readonly long[] ReadSignals = [Signals.Engagement, Signals.Valence, Signals.Arousal];
    /// <summary>What each axis is centred on (the logged data's typical engagement; mid-scale affect).</summary>
    private static readonly float[] Centres = [0.65f, 0.5f, 0.5f];
    /// <summary>The prediction is a deviation of a few tenths; scaled so the heads' weights on it are of order one.</summary>
    private const double PredictionScale = 10;
    private const double VarianceFloor = 1e-4;
    // Bounds on the learned prior precision and noise variance (log scale), so the precision stays well conditioned.
    private const double MinLogPrior = -5, MaxLogPrior = 5, MinLogNoise = -7, MaxLogNoise = 0;

    private readonly Sequential _fromContext;
    private readonly Linear _fromTrack;
    private readonly Parameter _logPriorPrecision;
    private readonly Parameter _logNoiseVariance;

    /// <param name="contextInputs">How many floats of a token's context the features read (<see cref="WorldModel"/> picks them).</param>
    /// <param name="trackInputs">How many track descriptors the features read.</param>
    public PatientFilter(int contextInputs, int trackInputs, int hiddenDim, int dim) : base(nameof(PatientFilter))
    {
        Dim = dim;
        _fromContext = nn.Sequential(nn.Linear(contextInputs, hiddenDim), nn.GELU(), nn.Linear(hiddenDim, Axes * dim));
        _fromTrack = nn.Linear(trackInputs, Axes * dim, hasBias: false);
        _logPriorPrecision = nn.Parameter(torch.zeros(Axes));
        _logNoiseVariance = nn.Parameter(torch.full(Axes, Scalars.Of(Math.Log(0.01))));
        RegisterComponents();
    }

    /// <summary>Features per axis.</summary>
    public int Dim { get; }

    /// <summary>Floats per token: the context's features, the posterior mean and the posterior covariance, per axis.</summary>
    public int StateWidth => Axes * Dim * (2 + Dim);

    /// <summary>Floats per candidate in <see cref="CandidateFeatures"/>.</summary>
    public int CandidateWidth => Axes * Dim;

    /// <summary>
    /// What a candidate brings to the <see cref="Lookup"/>, [...,T] -> [...,<see cref="CandidateWidth"/>]: per axis the
    /// track's share of the features. It depends only on the track, so it is cached per catalog. A set of candidates
    /// [C,T] gets its features laid out feature by feature (the transpose [features, C] is contiguous), the layout in
    /// which the lookup against one state reads them.
    /// </summary>
    public Tensor CandidateFeatures(Tensor trackInputs) =>
        trackInputs.dim() == 2 ? _fromTrack.weight!.matmul(trackInputs.t()).t() : _fromTrack.call(trackInputs);

    /// <summary>Empty running sums for <paramref name="batch"/> rows, before any token.</summary>
    public FilterMemory EmptyMemory(long batch, Device device) => new(
        torch.zeros([batch, Axes, Dim, Dim], device: device).DetachFromDisposeScope(),
        torch.zeros([batch, Axes, Dim], device: device).DetachFromDisposeScope(),
        torch.zeros([batch, Axes * Dim], device: device).DetachFromDisposeScope());

    /// <summary>
    /// Filter states [S,B,<see cref="StateWidth"/>] for S tokens: <paramref name="contextInputs"/> [S,B,Ci] is what the
    /// features read of each token's context, <paramref name="previousTrack"/> [S,B,T] the descriptors of the track each
    /// token reports on, <paramref name="context"/> [S,B,C] the tokens' context (the reported outcomes and their observed
    /// flags). With <paramref name="memory"/> the tokens continue the ones it holds, and it moves on past them.
    /// </summary>
    public Tensor States(Tensor contextInputs, Tensor previousTrack, Tensor context, FilterMemory? memory) =>
        Posteriors(contextInputs, previousTrack, context, memory, lastOnly: false);

    /// <summary>
    /// <see cref="States"/> of the last token alone, [1,B,<see cref="StateWidth"/>]: the sums still run over every token,
    /// but only the last one's posterior is solved. Serving needs no other (scoring a catalog, starting rollouts), and
    /// solving one system per axis instead of one per token took the filter's states from about 5.4 to 2.6 ms of scoring
    /// 10,000 candidates with 5 members and 64 earlier steps.
    /// </summary>
    public Tensor LastState(Tensor contextInputs, Tensor previousTrack, Tensor context, FilterMemory? memory) =>
        Posteriors(contextInputs, previousTrack, context, memory, lastOnly: true);

    private Tensor Posteriors(Tensor contextInputs, Tensor previousTrack, Tensor context, FilterMemory? memory, bool lastOnly)
    {
        using var scope = torch.NewDisposeScope();
        var length = context.shape[0];
        var batch = context.shape[1];
        var contextPhi = _fromContext.call(contextInputs);
        // The step token t reports on was played after token t-1's context, so its features read that context.
        var before = memory?.LastContext.unsqueeze(0) ?? torch.zeros_like(contextPhi[0..1]);
        var earlier = torch.cat([before, contextPhi.narrow(0, 0, length - 1)], dim: 0);
        var phi = earlier.Plus(_fromTrack.call(previousTrack)).view(length, batch, Axes, Dim);

        using var read = torch.tensor(ReadSignals, device: context.device);
        using var flags = torch.tensor(ReadSignals.Select(k => (long)TokenLayout.PreviousObserved + k).ToArray(), device: context.device);
        using var centres = torch.tensor(Centres, device: context.device);
        var deviation = context.index_select(-1, read).Minus(centres);
        var reported = context[TensorIndex.Ellipsis, TokenLayout.HasPrevious..(TokenLayout.HasPrevious + 1)];
        var weight = context.index_select(-1, flags).mul(reported).div(Bounded(_logNoiseVariance, MinLogNoise, MaxLogNoise));

        var precisionTerms = weight.unsqueeze(-1).unsqueeze(-1).mul(phi.unsqueeze(-1)).mul(phi.unsqueeze(-2));
        var informationTerms = weight.unsqueeze(-1).mul(phi).mul(deviation.unsqueeze(-1));
        var precision = lastOnly ? precisionTerms.sum(0, keepdim: true) : precisionTerms.cumsum(0);
        var information = lastOnly ? informationTerms.sum(0, keepdim: true) : informationTerms.cumsum(0);
        if (memory is not null)
        {
            precision = precision.Plus(memory.Precision.unsqueeze(0));
            information = information.Plus(memory.Information.unsqueeze(0));
            memory.MoveTo(precision[-1], information[-1], contextPhi[-1]);
        }
        using var eye = torch.eye(Dim, device: context.device);
        var covariance = torch.linalg.inv(precision.Plus(Bounded(_logPriorPrecision, MinLogPrior, MaxLogPrior).view(Axes, 1, 1).mul(eye)));
        var mean = covariance.matmul(information.unsqueeze(-1)).squeeze(-1);
        var ownContext = lastOnly ? contextPhi.narrow(0, length - 1, 1) : contextPhi;
        var tokens = ownContext.shape[0];
        return torch.cat([ownContext, mean.reshape(tokens, batch, -1), covariance.reshape(tokens, batch, -1)], dim: -1)
            .MoveToOuterDisposeScope();
    }

    private static Tensor Bounded(Tensor logValue, double min, double max) => torch.exp(logValue.clamp(Scalars.Of(min), Scalars.Of(max)));

    /// <summary>
    /// Per axis the candidate's predicted deviation (scaled) and the log of its variance [...,<see cref="PairValues"/>],
    /// for filter states [...,<see cref="StateWidth"/>] and <see cref="CandidateFeatures"/> that broadcast against each other.
    /// </summary>
    /// <remarks>
    /// A candidate's features are phi = a + b, a from the state's context and b from the track, so with the posterior's
    /// mean m and covariance S the prediction phi^T m is a^T m + b^T m and the variance phi^T S phi is
    /// a^T S a + b^T (S b + 2 S a): the state's own terms once per state, and per candidate b^T m and S b + 2 S a, which
    /// against a single state (scoring a catalog) are one matrix product with the state's terms as its bias.
    /// </remarks>
    public Tensor Lookup(Tensor states, Tensor candidateFeatures)
    {
        using var scope = torch.NewDisposeScope();
        var features = Axes * Dim;
        long[] stateLeading = states.shape[..^1];
        var context = states.narrow(-1, 0, features).reshape([.. stateLeading, Axes, Dim]);
        var mean = states.narrow(-1, features, features).reshape([.. stateLeading, Axes, Dim]);
        var covariance = states.narrow(-1, 2 * features, features * Dim).reshape([.. stateLeading, Axes, Dim, Dim]);
        var covarianceTimesContext = covariance.matmul(context.unsqueeze(-1)).squeeze(-1);
        var twiceCovarianceTimesContext = covarianceTimesContext.mul(Scalars.Of(2));
        var ownPrediction = context.mul(mean).sum(-1);
        var ownVariance = context.mul(covarianceTimesContext).sum(-1);
        if (stateLeading.Aggregate(1L, (n, d) => n * d) == 1)
            return LookupOneState(mean, covariance, ownPrediction, ownVariance, twiceCovarianceTimesContext, candidateFeatures)
                .reshape([.. Shapes.BroadcastLeading(states, candidateFeatures), PairValues]).MoveToOuterDisposeScope();

        // States and candidates row by row (rollouts, training): per pair b^T m and b^T (S b + 2 S a), element-wise.
        long[] candidateLeading = candidateFeatures.shape[..^1];
        var candidate = candidateFeatures.reshape([.. candidateLeading, Axes, Dim]);
        var prediction = ownPrediction.Plus(candidate.mul(mean).sum(-1));
        var covarianceTimesCandidate = candidate.unsqueeze(-2).mul(covariance).sum(-1);
        var variance = ownVariance.Plus(candidate.mul(covarianceTimesCandidate.Plus(twiceCovarianceTimesContext)).sum(-1));
        return PairValuesOf(prediction, variance, dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Lookup"/> of N candidates against one state, [N,<see cref="PairValues"/>]: one product of an
    /// [Axes x (1 + Dim), Axes x Dim] matrix (27 x 24 at 8 features) by the candidates' [Axes x Dim, N], whose rows are the
    /// state's m per axis, then its S per axis (block-diagonal), and whose bias is a^T m and 2 S a.
    /// The candidates are read as [features, N], contiguous for a catalog's cached <see cref="CandidateFeatures"/>
    /// (read row-major, the same lookup took about 1.9 against 0.3 ms for 10,000 candidates, measured in isolation).
    /// </summary>
    private Tensor LookupOneState(Tensor mean, Tensor covariance, Tensor ownPrediction, Tensor ownVariance,
        Tensor twiceCovarianceTimesContext, Tensor candidateFeatures)
    {
        using var scope = torch.NewDisposeScope();
        var features = Axes * Dim;
        using var axes = torch.eye(Axes, device: mean.device);
        var meanRows = mean.reshape(Axes, 1, Dim).mul(axes.view(Axes, Axes, 1)).reshape(Axes, features);
        var covarianceRows = covariance.reshape(Axes, Dim, 1, Dim).mul(axes.view(Axes, 1, Axes, 1)).reshape(features, features);
        var rows = torch.cat([meanRows, covarianceRows], dim: 0);
        var bias = torch.cat([ownPrediction.reshape(Axes), twiceCovarianceTimesContext.reshape(features)]).unsqueeze(-1);
        var columns = candidateFeatures.reshape(-1, features).t().contiguous(); // [features, N]
        var terms = torch.addmm(bias, rows, columns, 1f, 1f); // [Axes + features, N]
        var prediction = terms.narrow(0, 0, Axes);
        var variance = terms.narrow(0, Axes, features).mul(columns).view(Axes, Dim, -1).sum(1).Plus(ownVariance.reshape(Axes, 1));
        return PairValuesOf(prediction, variance, dim: 0).t().contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The predictions (scaled) and the logs of their variances, joined along <paramref name="dim"/>.</summary>
    private static Tensor PairValuesOf(Tensor prediction, Tensor variance, long dim) =>
        // A covariance is positive definite, so the variance is not negative but for rounding; the floor keeps the log finite.
        torch.cat([prediction.mul(Scalars.Of(PredictionScale)),
            variance.clamp_min(Scalars.Of(0)).add(Scalars.Of(VarianceFloor), Scalars.Of(1)).log()], dim);
}

/// <summary>
/// The <see cref="PatientFilter"/>'s running sums for the tokens an <see cref="EncoderCache"/> holds, per row: the
/// posterior's precision and information without the prior, and the features of the last token's context (which the
/// next token's reported step reads).
/// </summary>
internal sealed class FilterMemory : IDisposable
{
    internal FilterMemory(Tensor precision, Tensor information, Tensor lastContext)
    {
        Precision = precision;
        Information = information;
        LastContext = lastContext;
    }

    /// <summary>[B, axes, dim, dim].</summary>
    internal Tensor Precision { get; private set; }

    /// <summary>[B, axes, dim].</summary>
    internal Tensor Information { get; private set; }

    /// <summary>[B, axes x dim].</summary>
    internal Tensor LastContext { get; private set; }

    /// <summary>Replaces the sums with those after the latest tokens.</summary>
    internal void MoveTo(Tensor precision, Tensor information, Tensor lastContext)
    {
        Dispose();
        Precision = precision.detach().clone().DetachFromDisposeScope();
        Information = information.detach().clone().DetachFromDisposeScope();
        LastContext = lastContext.detach().clone().DetachFromDisposeScope();
    }

    /// <summary>A memory whose row b continues row <paramref name="rowOf"/>[b] of this one.</summary>
    internal FilterMemory Rows(Tensor rowOf) => new(
        Precision.index_select(0, rowOf).DetachFromDisposeScope(),
        Information.index_select(0, rowOf).DetachFromDisposeScope(),
        LastContext.index_select(0, rowOf).DetachFromDisposeScope());

    public void Dispose()
    {
        Precision.Dispose();
        Information.Dispose();
        LastContext.Dispose();
    }
}
