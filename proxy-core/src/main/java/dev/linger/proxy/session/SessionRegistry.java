package dev.linger.proxy.session;

/** Told when a session opens and when it has fully ended (both channels closed). */
public interface SessionRegistry {

    void opened(Session session);

    void ended(Session session);
}
