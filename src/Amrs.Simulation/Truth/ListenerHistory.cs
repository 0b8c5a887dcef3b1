using Amrs.Core.Catalog;

namespace Amrs.Simulation.Truth;

public static class ListenerHistory
{
    /// <summary>
    /// Replays a history: each inner list is one session, in time order. The last session is left open, so
    /// <see cref="IListenerModel.Expected"/> then answers "what if this track came next in it". To ask about the
    /// first track of a new session, end the history with an empty session.
    /// </summary>
    public static T Replay<T>(this T listener, IEnumerable<IReadOnlyList<Track>> sessions)
        where T : IListenerModel
    {
        foreach (var session in sessions)
        {
            listener.BeginSession();
            foreach (var track in session)
                listener.Advance(track);
        }
        return listener;
    }
}
