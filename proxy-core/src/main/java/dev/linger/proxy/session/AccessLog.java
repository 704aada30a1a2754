package dev.linger.proxy.session;

import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Trigger;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one key=value line per session at its end on the logger {@code proxy.access} (README, "Metrics,
 * access log and dashboards"). The application routes that logger to its own non-blocking appender, so an event loop
 * never waits on the log.
 */
final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("proxy.access");

    private AccessLog() {
    }

    static boolean enabled() {
        return log.isInfoEnabled();
    }

    static void write(String route, SocketAddress client, Object upstream, long relayedUp, long relayedDown,
            long discardedUp, long discardedDown, long durationNanos, Trigger trigger, TeardownPath path) {
        log.info("time={} route={} client={} upstream={} bytes_up={} bytes_down={} discarded_up={} discarded_down={}"
                        + " duration_ms={} trigger={} path={}",
                Instant.now(), route, address(client), upstream == null ? "-" : upstream,
                relayedUp, relayedDown, discardedUp, discardedDown,
                String.format("%.3f", durationNanos / 1e6), trigger, path);
    }

    private static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return address == null ? "-" : address.toString();
    }
}
