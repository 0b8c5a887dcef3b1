using TorchSharp;
using Amrs.Engine.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// An MLP over [state, candidate] whose first layer is split into a state part and a candidate part, so a
/// batch of states [B,1,E] and of candidates [1,C,D] broadcast to [B,C,out] without materialising the pairs.
/// The first layer adds a multiplicative term to the sum, hidden = gelu(Ws s + Wc c + (Gs s) * (Gc c)): how a
/// patient responds to a track is an interaction (this patient's liking of this genre), which a sum followed by
/// one nonlinearity learned slowly (measured on the default world). What belongs to the state and the candidate
/// together (the pair values: the patient's taste for this candidate, their record of it) adds a third part, Wp p,
/// which starts at zero.
/// </summary>
internal sealed class FactorisedHead : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Linear _fromState;
    private readonly Linear _fromCandidate;
    private readonly Linear _fromPair;
    private readonly Linear _output;

    public FactorisedHead(string name, long stateDim, long candidateDim, long pairDim, long hiddenDim, long outputs) : base(name)
    {
        _fromState = nn.Linear(stateDim, 2 * hiddenDim);
        _fromCandidate = nn.Linear(candidateDim, 2 * hiddenDim, hasBias: false);
        _fromPair = nn.Linear(pairDim, hiddenDim, hasBias: false);
        using (torch.no_grad()) _fromPair.weight!.zero_();
        _output = nn.Linear(hiddenDim, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor state, Tensor candidate, Tensor pair)
    {
        using var scope = torch.NewDisposeScope();
        var parts = CandidateParts(candidate);
        return FromCandidateParts(state, parts[0], parts[1], pair).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The candidate's share of the first layer, Wc c, as its summed half and its multiplied half, each contiguous (an
    /// elementwise pass over a strided half cost more than the pass itself). It does not depend on the state, so it can be cached.
    /// </summary>
    public Tensor[] CandidateParts(Tensor candidate)
    {
        using var scope = torch.NewDisposeScope();
        var halves = _fromCandidate.call(candidate).chunk(2, -1);
        return [halves[0].contiguous().MoveToOuterDisposeScope(), halves[1].contiguous().MoveToOuterDisposeScope()];
    }

    /// <param name="summed">The first of <see cref="CandidateParts"/>.</param>
    /// <param name="multiplied">The second of <see cref="CandidateParts"/>.</param>
    /// <param name="pair">The pair values [...,P], shaped like the pairs the state and candidate broadcast to.</param>
    public Tensor FromCandidateParts(Tensor state, Tensor summed, Tensor multiplied, Tensor pair)
    {
        using var scope = torch.NewDisposeScope();
        var s = _fromState.call(state).chunk(2, -1);
        // One new tensor for the [B,C,H] pre-activation, the other parts added into it in place: scoring a catalog
        // makes this tensor for every pair, so each extra pass over it costs (measured on an idle machine, three runs
        // alternating: one fused multiply-add on contiguous halves instead of a product and a sum on strided ones took
        // scoring 10,000 candidates from a median of 41 to 44 ms to one of 35 to 44 ms, the p95 from 55-59 to 41-54 ms).
        var preActivation = torch.addcmul(summed, s[1], multiplied, Scalars.Of(1)).add_(s[0], Scalars.Of(1));
        // + Wp p, multiplied straight into the pre-activation (no [B,C,H] temporary); both are contiguous [pairs, ...].
        using var flat = preActivation.view(-1, preActivation.shape[^1]);
        using var pairs = pair.reshape(-1, pair.shape[^1]);
        using var weights = _fromPair.weight!.t();
        flat.addmm_(pairs, weights, 1f, 1f);
        var hidden = nn.functional.gelu(preActivation);
        return _output.call(hidden).MoveToOuterDisposeScope();
    }
}
