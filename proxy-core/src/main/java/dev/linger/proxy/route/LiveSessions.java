package dev.linger.proxy.route;

import dev.linger.proxy.session.Session;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sessions of one route. Sessions open and end on every event loop, and shutdown or an
 * admin call walks them from another thread, hence a concurrent set.
 */
public final class LiveSessions {

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    void add(Session session) {
        sessions.add(session);
    }

    void remove(Session session) {
        sessions.remove(session);
    }

    /** How many sessions are live now. */
    public int count() {
        return sessions.size();
    }

    /** A snapshot of the live sessions. */
    public List<Session> snapshot() {
        return List.copyOf(sessions);
    }
}
