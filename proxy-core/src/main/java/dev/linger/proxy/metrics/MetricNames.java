package dev.linger.proxy.metrics;

/**
 * Every meter name and tag key the proxy publishes (the README's "Metrics, access log and dashboards"
 * lists them by their Prometheus names), in Micrometer's dotted form;
 * the Prometheus registry renders {@code proxy.connections.closed} as
 * {@code proxy_connections_closed_total}. Tag values come from enums: {@code Trigger}, {@code TeardownPath},
 * {@link Direction}.
 */
public final class MetricNames {

    public static final String CONNECTIONS_ACCEPTED = "proxy.connections.accepted";
    public static final String CONNECTIONS_ACTIVE = "proxy.connections.active";
    public static final String CONNECTIONS_CLOSED = "proxy.connections.closed";
    public static final String CONNECTIONS_DRAINING = "proxy.connections.draining";
    public static final String BYTES = "proxy.bytes";
    public static final String BYTES_DISCARDED = "proxy.bytes.discarded";
    public static final String SESSION_DURATION = "proxy.session.duration";
    public static final String TEARDOWN_DURATION = "proxy.teardown.duration";
    public static final String UPSTREAM_CONNECT_FAILURES = "proxy.upstream.connect.failures";
    /** 1 while new sessions may be sent to the upstream (healthy and not ejected), else 0. */
    public static final String UPSTREAM_HEALTHY = "proxy.upstream.healthy";
    public static final String CONFIG_RELOADS = "proxy.config.reloads";

    public static final String TAG_ROUTE = "route";
    public static final String TAG_TRIGGER = "trigger";
    public static final String TAG_PATH = "path";
    public static final String TAG_DIRECTION = "direction";
    public static final String TAG_UPSTREAM = "upstream";
    public static final String TAG_RESULT = "result";

    private MetricNames() {
    }
}
