package dev.linger.proxy.upstream;

import dev.linger.proxy.config.HostPort;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the upstream for each new session of a route: round-robin for now. Sessions of one route
 * open on every event loop, so the cursor is an atomic counter rather than per-thread state.
 */
public final class UpstreamSelector {

    private final List<Upstream> upstreams;
    private final AtomicInteger cursor = new AtomicInteger();

    public UpstreamSelector(List<HostPort> upstreams) {
        this.upstreams = upstreams.stream().map(Upstream::of).toList();
        if (this.upstreams.isEmpty()) {
            throw new IllegalArgumentException("upstreams: [] (expected: at least one host:port)");
        }
    }

    /** The upstream for the next session. */
    public Upstream next() {
        int index = Math.floorMod(cursor.getAndIncrement(), upstreams.size());
        return upstreams.get(index);
    }

    /** Every upstream, in configuration order. */
    public List<Upstream> upstreams() {
        return upstreams;
    }
}
