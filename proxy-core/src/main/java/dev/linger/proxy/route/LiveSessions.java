package dev.linger.proxy.route;

import dev.linger.proxy.session.Session;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live sessions of one route, and its admission against {@code max-connections}. Sessions open
 * and end on every event loop, and shutdown or an admin call walks them from another thread.
 */
public final class LiveSessions {

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();

    /** Adds {@code session} unless {@code limit} sessions are live already. */
    boolean tryAdd(Session session, int limit) {
        int now;
        do {
            now = count.get();
            if (now >= limit) {
                return false;
            }
        } while (!count.compareAndSet(now, now + 1));
        sessions.add(session);
        return true;
    }

    void remove(Session session) {
        if (sessions.remove(session)) {
            count.decrementAndGet();
        }
    }

    /** How many sessions are live now. */
    public int count() {
        return count.get();
    }

    /** A snapshot of the live sessions. */
    public List<Session> snapshot() {
        return List.copyOf(sessions);
    }
}
