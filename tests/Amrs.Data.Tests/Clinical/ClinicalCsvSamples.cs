namespace Amrs.Data.Tests.Clinical;

/// <summary>Small, hand-made input files: a catalog, patients and sessions that fit together.</summary>
internal static class ClinicalCsvSamples
{
    public const string CatalogHeader =
        "track_id,title,artist,valence,arousal,year,genre,duration_seconds,energy,tempo,acousticness,instrumentalness,danceability,loudness,mode";

    public const string Catalog = CatalogHeader + "\n" +
        "T-1,Moon River,Henry Mancini,0.62,0.21,1961,easy listening,162,0.2,78,0.9,0.1,0.4,-14.5,1\n" +
        "T-2,\"Rock, Around\",Bill Haley,0.81,0.77,1954,rock and roll,130,0.8,144,0.3,0,0.7,-8,1\n" +
        "T-3,Clair de lune,Debussy,0.55,0.12,1905,classical,300,0.1,66,0.99,0.95,0.1,-22,0\n";

    public const string PatientsHeader =
        "patient_id,birth_year,care_setting,cognitive_stage,preferred_genres,max_arousal,excluded_genres,consent,preferred_era,care_unit";

    public const string Patients = PatientsHeader + "\n" +
        "P-1,1938,clinical,moderate,easy listening;classical,0.6,,true,1950,Unit A\n" +
        "P-2,1975,consumer,none,rock and roll,,,true,,\n" +
        "P-3,1941,clinical,severe,classical,0.5,rock and roll,false,1960,Unit B\n";

    public const string SessionsHeader =
        "session_id,patient_id,position,track_id,started_at,mode,target_valence,target_arousal,engagement,rating,valence,arousal,propensity";

    public const string Sessions = SessionsHeader + "\n" +
        "S-1,P-1,0,T-1,2025-03-01T14:30:00+01:00,clinical,0.7,0.35,0.9,1,0.66,0.3,0.25\n" +
        "S-1,P-1,1,T-3,2025-03-01T14:30:00+01:00,clinical,0.7,0.35,0.8,,,,0.5\n" +
        "S-2,P-2,0,T-2,2025-03-02T09:00:00Z,energize,,,0.95,0,0.8,0.8,\n";
}
