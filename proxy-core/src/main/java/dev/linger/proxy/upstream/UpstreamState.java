package dev.linger.proxy.upstream;

import dev.linger.proxy.config.EjectionConfig;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream's state at run time, shared by every event loop that opens sessions of its route: its
 * load (sessions connecting to or connected to it), its record of connect failures for passive
 * ejection, and the verdict of the active checks. Atomics and volatiles only, so picking an upstream
 * never takes a lock.
 */
final class UpstreamState {

    /**
     * What {@link #ejectedUntil} answers when the upstream is not ejected. nanoTime values may be
     * negative, so this is a sentinel no clock reading will hit in practice.
     */
    static final long NOT_EJECTED = Long.MIN_VALUE;

    private final Upstream upstream;
    private final int weight;
    private final int index;
    private final EjectionConfig ejection;
    private final long coolDownNanos;
    private final AtomicInteger load = new AtomicInteger();
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile long ejectedUntil = NOT_EJECTED;
    private volatile boolean checksPassing = true;

    UpstreamState(Upstream upstream, int weight, int index, EjectionConfig ejection) {
        this.upstream = upstream;
        this.weight = weight;
        this.index = index;
        this.ejection = ejection;
        this.coolDownNanos = ejection.coolDown().toNanos();
    }

    Upstream upstream() {
        return upstream;
    }

    int weight() {
        return weight;
    }

    /** The upstream's position in the route's list. */
    int index() {
        return index;
    }

    /** Whether new sessions may be sent here at {@code now} (nanoTime): checks pass and it is not ejected. */
    boolean selectable(long now) {
        return checksPassing && !ejected(now);
    }

    boolean ejected(long now) {
        long until = ejectedUntil;
        return until != NOT_EJECTED && now - until < 0;
    }

    /** The nanoTime at which the ejection ends, or {@link #NOT_EJECTED} when not ejected at {@code now}. */
    long ejectedUntil(long now) {
        long until = ejectedUntil;
        return until != NOT_EJECTED && now - until < 0 ? until : NOT_EJECTED;
    }

    /** Sessions connecting or connected to this upstream. */
    int load() {
        return load.get();
    }

    void addLoad() {
        load.incrementAndGet();
    }

    void removeLoad() {
        load.decrementAndGet();
    }

    /**
     * A connect failed at {@code now}. Once {@code failures} have failed in a row the upstream is out for
     * the cool-down; after it, the count still stands, so one more failure takes it out again (as nginx's
     * max_fails does) while one success brings it back for good. Returns whether this failure took an
     * upstream that was in selection out of it.
     */
    boolean connectFailed(long now) {
        if (!ejection.enabled() || failuresInARow.incrementAndGet() < ejection.failures()) {
            return false;
        }
        boolean wasIn = !ejected(now);
        ejectedUntil = now + coolDownNanos;
        return wasIn;
    }

    /** A connect succeeded: the failure count starts over and any ejection ends. */
    void connectSucceeded() {
        // Read before writing: this runs on every connect, and a write would bounce the cache line.
        if (failuresInARow.get() != 0) {
            failuresInARow.set(0);
        }
        if (ejectedUntil != NOT_EJECTED) {
            ejectedUntil = NOT_EJECTED;
        }
    }

    /** How many failures in a row eject this upstream. */
    int failuresToEject() {
        return ejection.failures();
    }

    boolean checksPassing() {
        return checksPassing;
    }

    /** The active checks' verdict (written by the one event loop that checks this upstream). */
    void checksPassing(boolean passing) {
        checksPassing = passing;
    }

    @Override
    public String toString() {
        return upstream.toString();
    }
}
