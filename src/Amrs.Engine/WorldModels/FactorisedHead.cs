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
        using var c = CandidatePart(candidate);
        return FromCandidatePart(state, c, pair);
    }

    /// <summary>The candidate's share of the first layer; it does not depend on the state, so it can be cached.</summary>
    public Tensor CandidatePart(Tensor candidate) => _fromCandidate.call(candidate);

    /// <param name="pair">The pair values [...,P], shaped like the pairs the state and candidate broadcast to.</param>
    public Tensor FromCandidatePart(Tensor state, Tensor candidatePart, Tensor pair)
    {
        using var scope = torch.NewDisposeScope();
        var s = _fromState.call(state).chunk(2, -1);
        var c = candidatePart.chunk(2, -1);
        // One new tensor for the [B,C,H] pre-activation, the sums added into it in place: scoring a catalog makes
        // this tensor for every pair, so each extra temporary was a full pass over memory.
        var preActivation = s[1] * c[1];
        preActivation.add_(c[0], Scalars.Of(1)).add_(s[0], Scalars.Of(1));
        // + Wp p, multiplied straight into the pre-activation (no [B,C,H] temporary); both are contiguous [pairs, ...].
        using var flat = preActivation.view(-1, preActivation.shape[^1]);
        using var pairs = pair.reshape(-1, pair.shape[^1]);
        using var weights = _fromPair.weight!.t();
        flat.addmm_(pairs, weights, 1f, 1f);
        var hidden = nn.functional.gelu(preActivation);
        return _output.call(hidden).MoveToOuterDisposeScope();
    }
}
