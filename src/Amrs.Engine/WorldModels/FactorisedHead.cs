using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// An MLP over [state, candidate] whose first layer is split into a state part and a candidate part, so a
/// batch of states [B,1,E] and of candidates [1,C,D] broadcast to [B,C,out] without materialising the pairs.
/// </summary>
internal sealed class FactorisedHead : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear _fromState;
    private readonly Linear _fromCandidate;
    private readonly Linear _output;

    public FactorisedHead(string name, long stateDim, long candidateDim, long hiddenDim, long outputs) : base(name)
    {
        _fromState = nn.Linear(stateDim, hiddenDim);
        _fromCandidate = nn.Linear(candidateDim, hiddenDim, hasBias: false);
        _output = nn.Linear(hiddenDim, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor state, Tensor candidate)
    {
        using var c = CandidatePart(candidate);
        return FromCandidatePart(state, c);
    }

    /// <summary>The candidate's share of the first layer; it does not depend on the state, so it can be cached.</summary>
    public Tensor CandidatePart(Tensor candidate) => _fromCandidate.call(candidate);

    public Tensor FromCandidatePart(Tensor state, Tensor candidatePart)
    {
        using var s = _fromState.call(state);
        // add with a cached alpha: the operator passes a temporary Scalar the GC can finalise mid-call (crashed an evaluation).
        using var sum = s.add(candidatePart, Training.Scalars.Of(1));
        using var hidden = nn.functional.gelu(sum);
        return _output.call(hidden);
    }
}
