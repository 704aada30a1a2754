package dev.linger.proxy.upstream;

import dev.linger.proxy.config.HostPort;
import java.time.Instant;
import java.util.Optional;

/**
 * One upstream of a route as the admin API shows it ({@code GET /routes}): a snapshot taken when asked.
 *
 * @param upstream      the upstream as written in the configuration
 * @param weight        its weight (1-1000)
 * @param healthy       whether new sessions may be sent to it now: it passes its active checks (or
 *                      none are configured) and is not ejected; the {@code proxy.upstream.healthy} gauge
 * @param checksPassing the active checks' verdict; true when checks are off
 * @param ejectedUntil  when its passive ejection ends, if it is ejected now
 * @param sessions      sessions connecting or connected to it now
 */
public record UpstreamHealth(HostPort upstream, int weight, boolean healthy, boolean checksPassing,
        Optional<Instant> ejectedUntil, int sessions) {
}
