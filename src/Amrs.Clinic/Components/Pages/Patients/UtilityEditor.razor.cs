using Amrs.Core.Affect;
using Amrs.Core.Utility;
using Microsoft.AspNetCore.Components;

namespace Amrs.Clinic.Components.Pages.Patients;

public sealed partial class UtilityEditor
{
    private static readonly string[] WeightLabels = ["Valence closeness", "Arousal closeness", "Engagement", "Liking", "Diversity", "Familiarity"];
    private const string TargetField = "target", MaxArousalField = "max-arousal", LengthField = "length";
    private ProfileForm _form = new();
    private UtilityProfile? _loaded;

    /// <summary>Each field whose text cannot be saved now, with its message (nothing is saved while any is here).</summary>
    private readonly Dictionary<string, string> _fieldErrors = new(StringComparer.Ordinal);
    private IReadOnlyList<string>? _refused;

    /// <summary>Raised whenever the form's values are set from outside the fields, so every field shows them again.</summary>
    private int _revision;

    [Parameter, EditorRequired]
    public required UtilityProfile Profile { get; set; }

    [Parameter, EditorRequired]
    public required int CurrentVersion { get; set; }

    [Parameter]
    public bool ReadOnly { get; set; }

    [Parameter]
    public bool Busy { get; set; }

    /// <summary>Errors from the last save attempt (shown as they are).</summary>
    [Parameter]
    public IReadOnlyList<string> Errors { get; set; } = [];

    /// <summary>Called with the edited profile and the reason; the page saves it through the service.</summary>
    [Parameter, EditorRequired]
    public required EventCallback<(UtilityProfile Profile, string Reason)> OnSave { get; set; }

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_loaded, Profile)) return;
        _loaded = Profile;
        _form = ProfileForm.From(Profile);
        _refused = null;
        _revision++;
    }

    private void ModeChanged(SessionMode mode)
    {
        _form.Mode = mode;
        if (!ModeTargets.HasClinicianTarget(mode)) _form.Target = ModeTargets.DefaultTarget(mode);
        _revision++;
    }

    private void ResetToModeDefaults()
    {
        var reason = _form.Reason;
        _form = ProfileForm.From(UtilityProfile.DefaultFor(_form.Mode));
        _form.Reason = reason;
        _revision++;
    }

    /// <summary>This editor's own refusal (fields that cannot be read) or else the page's errors from the last save.</summary>
    private IReadOnlyList<string> ShownErrors => _refused ?? Errors;

    private void TargetChanged(AffectPoint? target)
    {
        if (target is { } point) _form.Target = point;
    }

    private void WeightChanged(int index, double? weight)
    {
        if (weight is { } w) _form.Weights[index] = w;
    }

    private void SlideWeight(int index, double weight)
    {
        _form.Weights[index] = weight;
        _revision++; // the number beside it shows the slider's value, whatever was typed there
    }

    private static string WeightField(int index) => $"weight-{index}";

    private void FieldError(string field, string? error)
    {
        if (error is null) _fieldErrors.Remove(field);
        else _fieldErrors[field] = error;
        if (_fieldErrors.Count == 0) _refused = null; // corrected: the refusal no longer holds
    }

    private async Task SaveAsync()
    {
        if (_fieldErrors.Count > 0)
        {
            _refused = [.. _fieldErrors.Values];
            return;
        }
        _refused = null;
        await OnSave.InvokeAsync((_form.ToProfile(), _form.Reason ?? ""));
    }

    /// <summary>The editable copy of a profile (mutable for binding).</summary>
    internal sealed class ProfileForm
    {
        public SessionMode Mode { get; set; }
        public AffectPoint Target { get; set; }
        public double[] Weights { get; set; } = new double[UtilityWeights.Count];
        public bool FollowIsoPath { get; set; }
        public double? MaxArousal { get; set; }
        public int PlaylistLength { get; set; }
        public string? ExcludedGenres { get; set; }
        public string? Reason { get; set; }

        public static ProfileForm From(UtilityProfile profile) => new()
        {
            Mode = profile.Mode,
            Target = profile.Target,
            Weights = profile.Weights.ToArray(),
            FollowIsoPath = profile.FollowIsoPath,
            MaxArousal = profile.MaxArousal,
            PlaylistLength = profile.PlaylistLength,
            ExcludedGenres = string.Join(", ", profile.ExcludedGenresOrEmpty),
        };

        public UtilityProfile ToProfile() => new(
            Mode,
            Target,
            UtilityWeights.FromArray(Weights),
            FollowIsoPath,
            MaxArousal,
            (ExcludedGenres ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            PlaylistLength);
    }
}
