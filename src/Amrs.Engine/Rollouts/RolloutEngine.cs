using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Rollouts;

/// <summary>
/// Simulates sessions with the world model: at each step the chosen track is scored, outcomes are sampled
/// from the member's predictive distribution (engagement and affect Gaussian, clipped to 0..1; rating
/// Bernoulli) and fed back as observed. Trajectories are split over the ensemble members (trajectory i uses
/// member i mod K, so epistemic uncertainty shows in the spread). Each member encodes the history once and
/// then, per step, one batched incremental forward over its trajectories (keys and values are cached).
/// Several rollouts (for example previews of different patients) run as one batch: their trajectories share
/// every tensor call, and each keeps its own seed, so a rollout gives the same result alone or in a batch.
/// </summary>
public sealed class RolloutEngine(WorldModelEnsemble ensemble)
{
    public WorldModelEnsemble Ensemble { get; } = ensemble;

    /// <summary>Plays <paramref name="playlist"/> in order in every trajectory.</summary>
    public RolloutResult Rollout(RolloutRequest request, CandidateSet playlist) =>
        RolloutMany([new PlaylistRollout(request, playlist)])[0];

    /// <summary>Several fixed-playlist rollouts in shared tensor calls; results in the order of <paramref name="rollouts"/>.</summary>
    public IReadOnlyList<RolloutResult> RolloutMany(IReadOnlyList<PlaylistRollout> rollouts) =>
        Run(rollouts.Select(r => new RolloutJob(r.Request, r.Playlist, r.Playlist.Count, PlayInOrder)).ToArray());

    /// <summary>Lets <paramref name="policy"/> choose each step's track from <paramref name="candidates"/>.</summary>
    public RolloutResult Rollout(RolloutRequest request, CandidateSet candidates, int steps, RolloutPolicy policy) =>
        Run([new RolloutJob(request, candidates, steps, policy)])[0];

    private static IReadOnlyList<int> PlayInOrder(RolloutPolicyInput input) => Enumerable.Repeat(input.Step, input.SoFar.Count).ToArray();

    private RolloutResult[] Run(RolloutJob[] jobs)
    {
        foreach (var job in jobs)
        {
            if (job.Request.Trajectories <= 0) throw new ArgumentException("At least one trajectory is needed.", nameof(jobs));
            if (job.Steps <= 0) throw new ArgumentException("At least one step is needed.", nameof(jobs));
        }
        var results = new RolloutResult[jobs.Length];
        lock (Ensemble.Gate)
        {
            using var mode = torch.inference_mode();
            // Rollouts share tensors when their encoded histories are equally long and they simulate equally many
            // steps (most patients with some history fill the whole attention window, so most previews qualify).
            var batches = Enumerable.Range(0, jobs.Length)
                .GroupBy(i => (Tokens: jobs[i].Request.History.TakeLast(WorldModelEnsemble.ServingHistory(Ensemble.Options, jobs[i].Steps)).Count, jobs[i].Steps));
            foreach (var batch in batches)
            {
                var indices = batch.ToArray();
                using var scope = torch.NewDisposeScope();
                var simulated = Simulate(indices.Select(i => jobs[i]).ToArray());
                for (var j = 0; j < indices.Length; j++) results[indices[j]] = simulated[j];
            }
        }
        return results;
    }

    /// <summary>Simulates jobs whose histories have the same number of tokens and that run the same number of steps.</summary>
    private RolloutResult[] Simulate(RolloutJob[] jobs)
    {
        var members = Ensemble.Members;
        var layout = Ensemble.Layout;
        var steps = jobs[0].Steps;
        // Jobs that start from the same history (the same object, for example a preview's own playlist and its comparison)
        // share one encoding of it: job r continues history historyOf[r].
        var indexOf = new Dictionary<(EncodedHistory History, StepContext Next), int>(SameHistory.Instance);
        var historyOf = new int[jobs.Length];
        for (var r = 0; r < jobs.Length; r++)
        {
            var key = (jobs[r].Request.History, jobs[r].Request.Start);
            if (!indexOf.TryGetValue(key, out var index)) indexOf[key] = index = indexOf.Count;
            historyOf[r] = index;
        }
        var distinct = indexOf.OrderBy(e => e.Value).Select(e => e.Key).ToArray();
        var histories = distinct.Select(d => d.History.TakeLast(WorldModelEnsemble.ServingHistory(Ensemble.Options, steps))).ToArray();
        // Each trajectory's history summary grows with its own simulated steps (all signals observed).
        var baseSummaries = histories.Select(h => layout.Summarise(h.Earlier.Concat(h.Steps))).ToArray();
        var summaries = jobs.Select((job, r) => Enumerable.Range(0, job.Request.Trajectories).Select(_ => baseSummaries[historyOf[r]].Clone()).ToArray()).ToArray();
        var allObserved = Enumerable.Repeat(1f, Signals.Count).ToArray();

        // Trajectory i of a job belongs to member i mod K; a member's rows are its trajectories of every job, job by job.
        var rows = Enumerable.Range(0, members.Count)
            .Select(k => jobs.SelectMany((job, r) => Enumerable.Range(0, job.Request.Trajectories)
                .Where(i => i % members.Count == k).Select(i => new TrajectoryRow(r, i))).ToArray())
            .ToArray();
        var candidates = BatchCandidates.Of(jobs.Select(j => j.Candidates).ToArray(), members);
        // Trajectory i of job r is row trajectoryOffset[r] + i of the noise.
        var trajectoryOffset = Offsets(jobs.Select(j => j.Request.Trajectories));
        // Each job draws all its noise up front from its own seed, so a rollout is the same alone or in a batch.
        var (noise, uniform) = DrawNoise(jobs, steps);
        var states = new Tensor?[members.Count];
        var caches = new EncoderCache?[members.Count];
        try
        {
            // Each member encodes every distinct history once (batch = histories); the trajectories continue it as a shared prefix.
            var tokens = histories.Select((h, d) => HistoryTensors.ForNextStep(h, distinct[d].Next, layout)).ToArray();
            try
            {
                var previousTrack = torch.cat(tokens.Select(t => t.PreviousTrack).ToArray(), 1);
                var previousIds = torch.cat(tokens.Select(t => t.PreviousIds).ToArray(), 1);
                var tokenContext = torch.cat(tokens.Select(t => t.Context).ToArray(), 1);
                for (var k = 0; k < members.Count; k++)
                {
                    if (rows[k].Length == 0) continue;
                    var historyOfRow = torch.tensor(rows[k].Select(row => (long)historyOf[row.Job]).ToArray());
                    var (lastStates, baseCache) = members[k].Prefill(previousTrack, previousIds, tokenContext);
                    using (baseCache)
                    {
                        caches[k] = baseCache.Share(historyOfRow, extraTokens: steps);
                    }
                    states[k] = lastStates.index_select(0, historyOfRow);
                }
            }
            finally
            {
                foreach (var t in tokens) t.Dispose();
            }

            var trajectories = jobs.Select(j => Enumerable.Range(0, j.Request.Trajectories).Select(_ => new List<SimulatedStep>()).ToArray()).ToArray();
            var contexts = jobs.Select(j => j.Request.Start).ToArray();
            var extraSize = StepContext.Size + histories[0].PatientContext.Length + layout.SummarySize;
            for (var step = 0; step < steps; step++)
            {
                var choices = jobs.Select((job, r) =>
                {
                    var chosen = job.Policy(new RolloutPolicyInput(step, job.Request.History, trajectories[r]));
                    if (chosen.Count != job.Request.Trajectories)
                        throw new InvalidOperationException($"The policy returned {chosen.Count} choices for {job.Request.Trajectories} trajectories.");
                    return chosen;
                }).ToArray();
                var nextContexts = contexts.Select(c => c.Next()).ToArray();
                for (var k = 0; k < members.Count; k++)
                {
                    var memberRows = rows[k];
                    if (memberRows.Length == 0) continue;
                    var b = memberRows.Length;
                    var chosen = candidates.Rows(memberRows.Select(row => (row.Job, CheckedChoice(choices[row.Job][row.Trajectory], jobs[row.Job].Candidates.Count))));
                    var trajectoryRows = torch.tensor(memberRows.Select(row => trajectoryOffset[row.Job] + (long)row.Trajectory).ToArray());
                    var parts = candidates.Parts[k].Select(part => part.index_select(0, chosen)).ToArray();
                    var prediction = members[k].PredictFromCandidateParts(states[k]!, parts, ChosenTrackRecords(memberRows, choices, jobs, summaries));
                    var (means, variances) = PredictiveDistribution.MeansAndVariances(prediction);
                    var outcomes = Sample(means, variances, noise[step].index_select(0, trajectoryRows), uniform[step].index_select(0, trajectoryRows));

                    var values = outcomes.ToFloatArray();
                    for (var g = 0; g < b; g++)
                    {
                        var (r, i) = memberRows[g];
                        var choice = choices[r][i];
                        trajectories[r][i].Add(new SimulatedStep(choice, jobs[r].Candidates.TrackIds[choice],
                            values.AsSpan(g * Signals.Count, Signals.Count).ToArray()));
                    }
                    if (step == steps - 1) continue;

                    // The played step becomes the next token: its track, its sampled outcomes (observed), the next context,
                    // the patient and the summary of everything played so far.
                    var extra = new float[b * extraSize];
                    for (var g = 0; g < b; g++)
                    {
                        var (r, i) = memberRows[g];
                        var summary = summaries[r][i];
                        summary.Add(jobs[r].Candidates.TrackIds[choices[r][i]], jobs[r].Candidates.FeaturesOf(choices[r][i]), values.AsSpan(g * Signals.Count, Signals.Count), allObserved,
                            contexts[r].PositionInSession);
                        var into = extra.AsSpan(g * extraSize, extraSize);
                        nextContexts[r].WriteTo(into[..StepContext.Size]);
                        histories[historyOf[r]].PatientContext.AsSpan().CopyTo(into[StepContext.Size..]);
                        if (layout.SummarySize > 0) summary.WriteTo(into[(extraSize - layout.SummarySize)..], nextContexts[r]);
                    }
                    var nextTokenContext = torch.cat([outcomes, torch.ones(b, Signals.Count + 1), torch.tensor(extra, [b, extraSize])], 1);
                    var features = candidates.Features.index_select(0, chosen);
                    var ids = candidates.Ids.index_select(0, chosen);
                    var next = members[k].Extend(features.unsqueeze(0), ids.unsqueeze(0), nextTokenContext.unsqueeze(0), caches[k]!);
                    states[k] = next[0];
                }
                contexts = nextContexts;
            }
            return trajectories.Select(t => new RolloutResult(Summarise(t, steps), t)).ToArray();
        }
        finally
        {
            foreach (var cache in caches) cache?.Dispose();
        }
    }

    /// <summary>
    /// Each row's record of the track it plays now [b,<see cref="TrackRecord.Size"/>], from its trajectory's own summary
    /// (the history and the steps simulated so far), or null when no row plays a track heard before.
    /// </summary>
    private static Tensor? ChosenTrackRecords(TrajectoryRow[] rows, IReadOnlyList<int>[] choices, RolloutJob[] jobs, HistorySummary[][] summaries)
    {
        return TrackRecord.Table(rows.Length, Heard());

        IEnumerable<(int, TrackRecord)> Heard()
        {
            for (var g = 0; g < rows.Length; g++)
            {
                var (r, i) = rows[g];
                if (summaries[r][i].TrackRecords.TryGetValue(jobs[r].Candidates.TrackIds[choices[r][i]], out var record)) yield return (g, record);
            }
        }
    }

    private static long[] Offsets(IEnumerable<int> counts)
    {
        var offsets = new List<long> { 0 };
        foreach (var count in counts) offsets.Add(offsets[^1] + count);
        return offsets.ToArray();
    }

    /// <summary>
    /// Every job's candidates in one table (a candidate set shared by several jobs appears once), so that a step gathers
    /// all rows' tracks, features and head parts in one call each: job r's candidate i is row offset[r] + i.
    /// </summary>
    private sealed record BatchCandidates(long[] Offset, Tensor Features, Tensor Ids, Tensor[][] Parts)
    {
        public static BatchCandidates Of(CandidateSet[] perJob, IReadOnlyList<WorldModel> members)
        {
            var sets = perJob.Distinct(ReferenceEqualityComparer.Instance).Cast<CandidateSet>().ToArray();
            var setOffsets = Offsets(sets.Select(c => c.Count));
            Tensor Joined(Func<CandidateSet, Tensor> part) => sets.Length == 1 ? part(sets[0]).alias() : torch.cat(sets.Select(part).ToArray(), 0);
            return new BatchCandidates(
                perJob.Select(c => setOffsets[Array.IndexOf(sets, c)]).ToArray(),
                Joined(c => c.Features),
                Joined(c => c.Ids),
                members.Select(m => Enumerable.Range(0, sets[0].CachedPartsFor(m).Length).Select(p => Joined(c => c.CachedPartsFor(m)[p])).ToArray()).ToArray());
        }

        /// <summary>The table rows of (job, candidate index) pairs.</summary>
        public Tensor Rows(IEnumerable<(int Job, int Candidate)> chosen) =>
            torch.tensor(chosen.Select(c => Offset[c.Job] + c.Candidate).ToArray());
    }

    /// <summary>
    /// Standard normal noise [steps, all trajectories, signals] and uniform draws [steps, all trajectories], each job's
    /// block drawn from a generator seeded with its own seed.
    /// </summary>
    private static (Tensor Noise, Tensor Uniform) DrawNoise(RolloutJob[] jobs, int steps)
    {
        var noise = new Tensor[jobs.Length];
        var uniform = new Tensor[jobs.Length];
        for (var r = 0; r < jobs.Length; r++)
        {
            using var generator = new Generator((ulong)jobs[r].Request.Seed, torch.CPU);
            noise[r] = torch.randn([steps, jobs[r].Request.Trajectories, Signals.Count], generator: generator);
            uniform[r] = torch.rand([steps, jobs[r].Request.Trajectories], generator: generator);
        }
        return (torch.cat(noise, 1), torch.cat(uniform, 1));
    }

    /// <summary>Trajectory <see cref="Trajectory"/> of job <see cref="Job"/>.</summary>
    private readonly record struct TrajectoryRow(int Job, int Trajectory);

    /// <summary>One rollout inside a batch: what to simulate, from which candidates, for how many steps, chosen how.</summary>
    private sealed record RolloutJob(RolloutRequest Request, CandidateSet Candidates, int Steps, RolloutPolicy Policy);

    private static int CheckedChoice(int choice, int count) =>
        choice >= 0 && choice < count ? choice : throw new InvalidOperationException($"The policy chose candidate {choice}; there are {count}.");

    /// <summary>Engagement and affect ~ Gaussian clipped to 0..1 (from standard normal noise); rating ~ Bernoulli (from uniform draws).</summary>
    private static Tensor Sample(Tensor means, Tensor variances, Tensor noise, Tensor uniform)
    {
        var continuous = means.add(noise * variances.sqrt(), Scalars.Of(1)).clamp(Scalars.Of(0), Scalars.Of(1));
        var rating = (uniform < means[.., Signals.Rating]).to_type(ScalarType.Float32);
        return torch.cat(
        [
            continuous[.., Signals.Engagement..(Signals.Engagement + 1)],
            rating.unsqueeze(1),
            continuous[.., Signals.Valence..(Signals.Arousal + 1)],
        ], 1);
    }

    private static IReadOnlyList<RolloutStep> Summarise(IReadOnlyList<IReadOnlyList<SimulatedStep>> trajectories, int steps)
    {
        var result = new List<RolloutStep>();
        for (var step = 0; step < steps; step++)
        {
            var atStep = trajectories.Select(t => t[step]).ToArray();
            var first = atStep[0].TrackId;
            var sameTrack = atStep.All(s => s.TrackId == first);
            SignalBand Band(int signal)
            {
                var sorted = atStep.Select(s => (double)s.Outcomes[signal]).Order().ToArray();
                return new SignalBand(sorted.Average(), Quantiles.OfSorted(sorted, 0.1), Quantiles.OfSorted(sorted, 0.5),
                    Quantiles.OfSorted(sorted, 0.9));
            }
            result.Add(new RolloutStep(step, sameTrack ? first : null,
                Band(Signals.Engagement), Band(Signals.Rating), Band(Signals.Valence), Band(Signals.Arousal)));
        }
        return result;
    }
}
