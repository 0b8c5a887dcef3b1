namespace Amrs.Data.Clinical;

/// <summary>The three clinical files the clinic imports, in the order they must be imported.</summary>
public enum ClinicalDataKind
{
    Catalog,
    Patients,
    Sessions,
}
