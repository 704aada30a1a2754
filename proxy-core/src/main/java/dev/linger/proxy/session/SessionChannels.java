package dev.linger.proxy.session;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many channels the proxy's sessions hold open: clients and upstreams, connected or still connecting,
 * from the moment their relay handler is in place until their pipeline is torn down after close. One
 * counter for all routes; it replaces a channel group, whose per-channel map entry and close listener
 * cost memory and time on every connection for a figure read only by diagnostics and tests.
 */
public final class SessionChannels {

    private final LongAdder open = new LongAdder();

    void added() {
        open.increment();
    }

    void removed() {
        open.decrement();
    }

    /** Channels open now. */
    public int open() {
        return open.intValue();
    }
}
