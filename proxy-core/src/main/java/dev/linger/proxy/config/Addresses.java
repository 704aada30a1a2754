package dev.linger.proxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks on {@link HostPort} values that {@link HostPort#parse} leaves to the loader: whether the host
 * can be a host at all, and whether two listen addresses would compete for the same socket.
 */
final class Addresses {

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final String ANY_IPV4 = "0.0.0.0";
    private static final String ANY_IPV6 = "0:0:0:0:0:0:0:0";

    private Addresses() {
    }

    /** What was expected instead of {@code address}'s host, or empty when it is usable. */
    static Optional<String> hostProblem(HostPort address) {
        String host = address.host();
        if (host.equals("*")) {
            return Optional.of("host:port; 0.0.0.0 or [::] listens on every interface");
        }
        if (host.indexOf(':') >= 0) {
            return ipv6(host).isPresent() ? Optional.empty() : Optional.of("[ipv6]:port with a valid IPv6 address");
        }
        if (IPV4.matcher(host).matches()) {
            for (String octet : host.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return Optional.of("host:port with a valid IPv4 address");
                }
            }
            return Optional.empty();
        }
        return HOST_NAME.matcher(host).matches()
                ? Optional.empty()
                : Optional.of("host:port with a host name or IP address");
    }

    /**
     * Whether listeners on {@code a} and {@code b} could not both bind: the same port on the same host,
     * or on a wildcard host that takes every address (0.0.0.0 every IPv4 one, {@code ::} every one, as
     * Linux binds it dual-stack). Host names are not resolved, so {@code localhost} and {@code 127.0.0.1}
     * are not seen as the same; the bind would still fail at start-up, with its own message.
     */
    static boolean overlap(HostPort a, HostPort b) {
        if (a.port() != b.port()) {
            return false;
        }
        String x = canonicalHost(a.host());
        String y = canonicalHost(b.host());
        return x.equals(y) || covers(x, y) || covers(y, x);
    }

    private static boolean covers(String wildcard, String other) {
        return wildcard.equals(ANY_IPV6) || (wildcard.equals(ANY_IPV4) && other.indexOf(':') < 0);
    }

    private static String canonicalHost(String host) {
        if (host.indexOf(':') >= 0) {
            return ipv6(host).map(InetAddress::getHostAddress).orElse(host);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** Parses an IPv6 literal; the pattern check first keeps InetAddress from ever asking DNS. */
    private static Optional<InetAddress> ipv6(String host) {
        int zone = host.indexOf('%');
        String literal = zone >= 0 ? host.substring(0, zone) : host;
        if (!IPV6.matcher(literal).matches() || literal.indexOf(':') < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
