package dev.linger.app.admin;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.Policy;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The routes the admin API reads and acts on: the running proxy's, or a test's stand-in. */
interface RouteTable {

    /** Every route now, in configuration order. */
    List<RouteView> routes();

    /**
     * Ends the live sessions of route {@code name} (of one upstream, if given) with trigger
     * {@code admin} under {@code policy}.
     *
     * @return how many sessions it touched, or empty when there is no such route
     */
    OptionalInt endSessions(String name, Policy policy, Optional<HostPort> upstream);
}
