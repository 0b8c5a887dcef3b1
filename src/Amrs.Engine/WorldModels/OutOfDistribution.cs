using Amrs.Engine.Episodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// Fitted reference for out-of-distribution checks: Gaussian summaries (mean, regularised precision) of the
/// training tracks' features and the training patients' context vectors, each component's scale (its 95th
/// percentile over validation playlists) and the threshold on the combined score (its 95th percentile).
/// </summary>
public sealed record OodCalibration(
    float[] TrackMean,
    float[] TrackPrecision,
    float[] PatientMean,
    float[] PatientPrecision,
    double TrackScale,
    double PatientScale,
    double DisagreementScale,
    double Threshold,
    int ValidationPlaylists);

/// <summary>Raw out-of-distribution measurements for one patient and playlist.</summary>
public readonly record struct OodComponents(
    double TrackDistance,
    double PatientDistance,
    double Disagreement,
    int UnseenTracks,
    int Tracks);

/// <summary>The verdict: flag, score against threshold, and the reason in words a clinician can read.</summary>
public sealed record OodAssessment(
    bool IsOutOfDistribution,
    double Score,
    double Threshold,
    OodComponents Components,
    string Reason);

/// <summary>A validation playlist for calibration: the history before a session, its context and its tracks.</summary>
public sealed record OodProbe(EncodedHistory History, StepContext Next, IReadOnlyList<EncodedStep> Playlist)
{
    /// <summary>One probe per session of each history (the history being everything before the session).</summary>
    public static IEnumerable<OodProbe> FromHistories(IEnumerable<EncodedHistory> histories)
    {
        foreach (var history in histories)
        {
            var steps = history.Steps;
            var start = 0;
            while (start < steps.Count)
            {
                var end = start + 1;
                while (end < steps.Count && !steps[end].Context.StartsSession) end++;
                yield return new OodProbe(history with { Steps = steps.Take(start).ToArray() },
                    steps[start].Context, steps.Skip(start).Take(end - start).ToArray());
                start = end;
            }
        }
    }
}

/// <summary>
/// Out-of-distribution score = mean of three components, each divided by its validation 95th percentile:
/// how far the playlist's tracks are from the training tracks (Mahalanobis distance of their features), how
/// far the patient is from the training patients, and how much the ensemble members disagree about the
/// playlist's effect. Flagged when the score exceeds its own validation 95th percentile.
/// </summary>
public static class OutOfDistribution
{
    public const double CalibrationQuantile = 0.95;

    public static OodCalibration Calibrate(
        WorldModelEnsemble ensemble,
        IReadOnlyList<float[]> trainingTrackFeatures,
        IReadOnlyList<float[]> trainingPatientContexts,
        IReadOnlyList<OodProbe> validation)
    {
        if (validation.Count == 0) throw new ArgumentException("Calibration needs validation playlists.", nameof(validation));
        var (trackMean, trackPrecision) = FitGaussian(trainingTrackFeatures);
        var (patientMean, patientPrecision) = FitGaussian(trainingPatientContexts);
        var unscaled = new OodCalibration(trackMean, trackPrecision, patientMean, patientPrecision, 1, 1, 1,
            double.PositiveInfinity, validation.Count);

        var measured = new List<OodComponents>();
        foreach (var probe in validation)
        {
            using var playlist = CandidateSet.FromSteps(probe.Playlist);
            measured.Add(Measure(ensemble, unscaled, probe.History, probe.Next, playlist));
        }
        var scaled = unscaled with
        {
            TrackScale = PositiveQuantile(measured.Select(m => m.TrackDistance)),
            PatientScale = PositiveQuantile(measured.Select(m => m.PatientDistance)),
            DisagreementScale = PositiveQuantile(measured.Select(m => m.Disagreement)),
        };
        return scaled with { Threshold = Quantiles.Of(measured.Select(m => Score(scaled, m)), CalibrationQuantile) };
    }

    public static OodComponents Measure(WorldModelEnsemble ensemble, OodCalibration calibration,
        EncodedHistory history, StepContext next, CandidateSet playlist) =>
        MeasureMany(ensemble, calibration, [new CandidateQuery(history, next, playlist)])[0];

    /// <summary><see cref="Measure"/> for several patients and playlists, their predictions made in shared forward passes.</summary>
    public static IReadOnlyList<OodComponents> MeasureMany(WorldModelEnsemble ensemble, OodCalibration calibration, IReadOnlyList<CandidateQuery> queries)
    {
        var raw = ensemble.ScoreRawMany(queries);
        try
        {
            return queries.Select((query, q) => Components(calibration, query, raw[q])).ToArray();
        }
        finally
        {
            foreach (var tensor in raw) tensor.Dispose();
        }
    }

    private static OodComponents Components(OodCalibration calibration, CandidateQuery query, Tensor raw)
    {
        var playlist = query.Candidates;
        var trackDistance = 0.0;
        var unseen = 0;
        for (var i = 0; i < playlist.Count; i++)
        {
            trackDistance += Mahalanobis(playlist.FeaturesOf(i), calibration.TrackMean, calibration.TrackPrecision);
            if (playlist.Rows[i] == 0) unseen++;
        }
        trackDistance /= playlist.Count;
        var patientDistance = Mahalanobis(query.History.PatientContext, calibration.PatientMean, calibration.PatientPrecision);

        double disagreement;
        using (var scope = torch.NewDisposeScope())
        {
            var combined = PredictiveDistribution.Combine(raw);
            // Epistemic sd of engagement, valence and arousal together, averaged over the playlist.
            var epistemic = combined[TensorIndex.Ellipsis, TensorIndex.Tensor(torch.tensor(new long[] { 0, 2, 3 })), 1];
            disagreement = epistemic.sum(-1).sqrt().mean().item<float>();
        }
        return new OodComponents(trackDistance, patientDistance, disagreement, unseen, playlist.Count);
    }

    public static double Score(OodCalibration calibration, OodComponents components) =>
        (components.TrackDistance / calibration.TrackScale
         + components.PatientDistance / calibration.PatientScale
         + components.Disagreement / calibration.DisagreementScale) / 3;

    public static OodAssessment Assess(OodCalibration calibration, OodComponents components)
    {
        var score = Score(calibration, components);
        var flagged = score > calibration.Threshold;
        var reasons = new List<string>();
        if (components.TrackDistance > calibration.TrackScale)
            reasons.Add("the tracks are unlike the music the model was trained on");
        if (components.PatientDistance > calibration.PatientScale)
            reasons.Add("the patient's profile is unlike the patients in the training data");
        if (components.Disagreement > calibration.DisagreementScale)
            reasons.Add("the model's ensemble members disagree strongly about this playlist's effect");
        var unseenNote = components.UnseenTracks > 0
            ? $" {components.UnseenTracks} of {components.Tracks} tracks were never played in the training data."
            : "";

        string reason;
        if (flagged && reasons.Count == 0)
            reason = "Outside the model's experience: several signals are moderately unusual together; treat the preview with caution." + unseenNote;
        else if (flagged)
            reason = $"Outside the model's experience: {string.Join("; ", reasons)}. Treat the preview with caution." + unseenNote;
        else
            reason = "Within the model's experience: tracks, patient and predictions resemble the validation data." + unseenNote;
        return new OodAssessment(flagged, score, calibration.Threshold, components, reason);
    }

    /// <summary>Mean and inverse of the covariance shrunk toward a scaled identity (stable for one-hot columns).</summary>
    internal static (float[] Mean, float[] Precision) FitGaussian(IReadOnlyList<float[]> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("Cannot fit a reference distribution to no data.", nameof(rows));
        using var scope = torch.NewDisposeScope();
        var dim = rows[0].Length;
        var data = torch.tensor(rows.SelectMany(r => r).ToArray(), [rows.Count, dim]).to_type(ScalarType.Float64);
        var mean = data.mean([0]);
        var centred = data - mean;
        // Scalars held in variables: a temporary Scalar may be finalised while the native call uses it (see Scalars).
        using var degrees = ((double)Math.Max(rows.Count - 1, 1)).ToScalar();
        var covariance = centred.t().matmul(centred).div(degrees);
        using var ridge = (0.05 * covariance.diagonal().mean().item<double>() + 1e-3).ToScalar();
        var precision = torch.linalg.inv(covariance + torch.eye(dim, dtype: ScalarType.Float64).mul(ridge));
        return (mean.to_type(ScalarType.Float32).data<float>().ToArray(),
            precision.to_type(ScalarType.Float32).contiguous().data<float>().ToArray());
    }

    internal static double Mahalanobis(ReadOnlySpan<float> x, float[] mean, float[] precision)
    {
        var dim = mean.Length;
        Span<double> centred = stackalloc double[dim];
        for (var i = 0; i < dim; i++) centred[i] = x[i] - mean[i];
        var sum = 0.0;
        for (var i = 0; i < dim; i++)
        {
            var row = 0.0;
            for (var j = 0; j < dim; j++) row += precision[i * dim + j] * centred[j];
            sum += centred[i] * row;
        }
        return Math.Sqrt(Math.Max(sum, 0));
    }

    private static double PositiveQuantile(IEnumerable<double> values) =>
        Math.Max(Quantiles.Of(values, CalibrationQuantile), 1e-6);
}
