using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Tests.WorldModels;

public sealed class PatientFilterTests
{
    private const int Dim = 2;
    private const double PriorPrecision = 2;
    private const double NoiseVariance = 0.5;

    /// <summary>
    /// A filter whose features are the track's two inputs for every axis (the context's share set to zero), with prior
    /// precision 2 and noise variance 0.5.
    /// </summary>
    private static PatientFilter IdentityFilter()
    {
        var filter = new PatientFilter(contextInputs: 3, trackInputs: Dim, hiddenDim: 4, dim: Dim);
        using var noGrad = torch.no_grad();
        var parameters = filter.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in parameters.Where(p => p.Key.Contains("fromContext", StringComparison.Ordinal) && p.Key.Contains("2.", StringComparison.Ordinal)))
            parameter.zero_();
        var track = parameters.Single(p => p.Key.Contains("fromTrack", StringComparison.Ordinal)).Value;
        track.copy_(torch.cat(Enumerable.Repeat(torch.eye(Dim), PatientFilter.Axes).ToArray(), 0));
        parameters.Single(p => p.Key.Contains("Prior", StringComparison.Ordinal)).Value.fill_(Scalars.Of(Math.Log(PriorPrecision)));
        parameters.Single(p => p.Key.Contains("Noise", StringComparison.Ordinal)).Value.fill_(Scalars.Of(Math.Log(NoiseVariance)));
        return filter;
    }

    [Fact]
    public void The_posterior_is_the_ridge_regression_of_the_observed_responses_on_their_features()
    {
        using var filter = IdentityFilter();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        // Token 0 opens the history; tokens 1-3 report steps with these track inputs and valences (token 2's not observed).
        double[][] features = [[0, 0], [1, 0.5], [0.2, 1], [-0.5, 1]];
        double[] valence = [0, 0.8, 0.1, 0.3];
        bool[] seen = [false, true, false, true];
        var context = torch.zeros(4, 1, TokenLayout.HasPrevious + 1);
        for (var t = 1; t < 4; t++)
        {
            context[t, 0, TokenLayout.HasPrevious] = torch.tensor(1f);
            context[t, 0, TokenLayout.PreviousOutcomes + Signals.Valence] = torch.tensor((float)valence[t]);
            context[t, 0, TokenLayout.PreviousObserved + Signals.Valence] = torch.tensor(seen[t] ? 1f : 0f);
        }
        var track = torch.tensor(features.SelectMany(f => f.Select(x => (float)x)).ToArray(), [4, 1, Dim]);

        var states = filter.States(torch.zeros(4, 1, 3), track, context, memory: null);

        // By hand: precision 2 I + sum phi phi^T / 0.5 and information sum phi (v - 0.5) / 0.5 over tokens 1 and 3.
        double a = PriorPrecision, b = 0, d = PriorPrecision, h0 = 0, h1 = 0;
        foreach (var t in new[] { 1, 3 })
        {
            var (x, y) = (features[t][0], features[t][1]);
            a += x * x / NoiseVariance;
            b += x * y / NoiseVariance;
            d += y * y / NoiseVariance;
            h0 += x * (valence[t] - 0.5) / NoiseVariance;
            h1 += y * (valence[t] - 0.5) / NoiseVariance;
        }
        var det = a * d - b * b;
        var mean = new[] { (d * h0 - b * h1) / det, (a * h1 - b * h0) / det };
        var last = states[3, 0].data<float>().ToArray();
        var features3 = PatientFilter.Axes * Dim;
        var valenceMean = last.AsSpan(features3 + Dim, Dim).ToArray(); // valence is the filter's second axis
        Assert.Equal(mean[0], valenceMean[0], 4);
        Assert.Equal(mean[1], valenceMean[1], 4);
        var valenceCovariance = last.AsSpan(2 * features3 + Dim * Dim, Dim * Dim).ToArray();
        Assert.Equal(d / det, valenceCovariance[0], 4);
        Assert.Equal(-b / det, valenceCovariance[1], 4);

        // Token 2 reported an unobserved valence: its posterior is token 1's.
        var second = states[2, 0].data<float>().ToArray();
        var first = states[1, 0].data<float>().ToArray();
        Assert.Equal(first.AsSpan(features3 + Dim, Dim).ToArray(), second.AsSpan(features3 + Dim, Dim).ToArray());

        // A candidate is read off the posterior: 10 x phi^T mean and log(phi^T covariance phi + 1e-4).
        var lookup = filter.Lookup(states[3, 0], filter.CandidateFeatures(torch.tensor(new[] { 1f, -1f }))).data<float>().ToArray();
        Assert.Equal(10 * (mean[0] - mean[1]), lookup[1], 3);
        Assert.Equal(Math.Log((d + a + 2 * b) / det + 1e-4), lookup[PatientFilter.Axes + 1], 3);
    }

    [Fact]
    public void A_candidates_variance_falls_as_observations_of_the_patient_accumulate()
    {
        using var filter = IdentityFilter();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        const int tokens = 6;
        var context = torch.zeros(tokens, 1, TokenLayout.HasPrevious + 1);
        context[TensorIndex.Slice(1), 0, TokenLayout.HasPrevious] = torch.tensor(1f);
        context[TensorIndex.Slice(1), 0, TokenLayout.PreviousObserved + Signals.Arousal] = torch.tensor(1f);
        context[TensorIndex.Slice(1), 0, TokenLayout.PreviousOutcomes + Signals.Arousal] = torch.tensor(0.7f);
        var track = torch.ones(tokens, 1, Dim);

        var states = filter.States(torch.zeros(tokens, 1, 3), track, context, memory: null);
        var lookups = filter.Lookup(states[TensorIndex.Colon, 0], filter.CandidateFeatures(torch.ones(Dim))).data<float>().ToArray();

        var arousalVariance = Enumerable.Range(0, tokens).Select(t => lookups[t * PatientFilter.PairValues + PatientFilter.Axes + 2]).ToArray();
        var arousalPrediction = Enumerable.Range(0, tokens).Select(t => lookups[t * PatientFilter.PairValues + 2]).ToArray();
        for (var t = 1; t < tokens; t++)
        {
            Assert.True(arousalVariance[t] < arousalVariance[t - 1], $"token {t}: the variance did not fall");
            Assert.True(arousalPrediction[t] > arousalPrediction[t - 1], $"token {t}: the prediction did not move toward the observations");
        }
        // Five observations of 0.7 pull the prediction toward +0.2 (scaled by 10: toward 2), never past it.
        Assert.InRange(arousalPrediction[^1], 1.0f, 2.0f);
    }

    [Fact]
    public void A_lookup_equals_the_posteriors_prediction_and_variance_for_the_candidates_full_features()
    {
        torch.manual_seed(7);
        using var filter = new PatientFilter(contextInputs: 3, trackInputs: 4, hiddenDim: 5, dim: 3);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        const int tokens = 5, candidates = 4;
        var context = torch.zeros(tokens, 1, TokenLayout.HasPrevious + 1);
        context[TensorIndex.Slice(1), 0, TokenLayout.HasPrevious] = torch.tensor(1f);
        foreach (var signal in new[] { Signals.Engagement, Signals.Valence, Signals.Arousal })
        {
            context[TensorIndex.Slice(1), 0, TokenLayout.PreviousObserved + signal] = torch.tensor(1f);
            context[TensorIndex.Slice(1), 0, TokenLayout.PreviousOutcomes + signal] = torch.rand(tokens - 1);
        }
        var states = filter.States(torch.randn(tokens, 1, 3), torch.randn(tokens, 1, 4), context, memory: null);
        var tracks = torch.randn(candidates, 4);

        var last = states[-1, 0];
        var againstOne = filter.Lookup(last, filter.CandidateFeatures(tracks)).data<float>().ToArray();
        var rowByRow = filter.Lookup(last.expand(candidates, -1), filter.CandidateFeatures(tracks)).data<float>().ToArray();

        // By hand: phi = the context's features + the track's share, per axis phi^T mean and phi^T covariance phi.
        var state = last.data<float>().ToArray();
        var trackShare = filter.CandidateFeatures(tracks).data<float>().ToArray();
        const int dim = 3, axes = PatientFilter.Axes;
        for (var c = 0; c < candidates; c++)
        {
            for (var x = 0; x < axes; x++)
            {
                var phi = new double[dim];
                for (var i = 0; i < dim; i++)
                    phi[i] = state[x * dim + i] + trackShare[c * filter.CandidateWidth + x * dim + i];
                double prediction = 0, variance = 0;
                for (var i = 0; i < dim; i++)
                {
                    prediction += phi[i] * state[axes * dim + x * dim + i];
                    for (var j = 0; j < dim; j++) variance += phi[i] * phi[j] * state[2 * axes * dim + x * dim * dim + i * dim + j];
                }
                foreach (var lookup in new[] { againstOne, rowByRow })
                {
                    Assert.Equal(10 * prediction, lookup[c * PatientFilter.PairValues + x], 3);
                    Assert.Equal(Math.Log(variance + 1e-4), lookup[c * PatientFilter.PairValues + axes + x], 3);
                }
            }
        }
    }
}
