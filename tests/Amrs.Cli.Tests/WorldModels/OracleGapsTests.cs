using Amrs.Cli.Evaluation.WorldModel;

namespace Amrs.Cli.Tests.WorldModels;

public sealed class OracleGapsTests
{
    [Fact]
    public void The_distance_from_the_oracle_splits_into_patient_session_and_within_session_parts_by_hand()
    {
        // Patient a: session 1 differs by 0.1 and 0.3, session 2 by 0.5; patient b: one session, -0.1 twice.
        (string, string, double)[] differences = [("a", "1", 0.1), ("a", "1", 0.3), ("a", "2", 0.5), ("b", "3", -0.1), ("b", "3", -0.1)];

        var gap = OracleGaps.Split(differences);

        // Total: (0.01 + 0.09 + 0.25 + 0.01 + 0.01) / 5. Patients: a's mean 0.3 over 3 steps, b's -0.1 over 2: (0.27 + 0.02) / 5.
        // Sessions: 0.2 over 2, 0.5 over 1, -0.1 over 2: (0.08 + 0.25 + 0.02) / 5 = 0.07, of which 0.058 is the patients'.
        Assert.Equal(5, gap.Count);
        Assert.Equal(0.074, gap.Total, 12);
        Assert.Equal(0.058, gap.Patient, 12);
        Assert.Equal(0.012, gap.Session, 12);
        Assert.Equal(0.004, gap.WithinSession, 12);
    }

    [Fact]
    public void A_predictor_off_by_a_constant_per_patient_has_no_session_or_within_session_part()
    {
        (string, string, double)[] differences = [("a", "1", 0.2), ("a", "2", 0.2), ("b", "3", -0.3), ("b", "3", -0.3)];

        var gap = OracleGaps.Split(differences);

        Assert.Equal(gap.Total, gap.Patient, 12);
        Assert.Equal(0, gap.Session, 12);
        Assert.Equal(0, gap.WithinSession, 12);
    }
}
