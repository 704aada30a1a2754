package dev.linger.proxy.upstream;

import dev.linger.proxy.config.HostPort;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * One upstream of a route. An IP literal is resolved once, here, so a connect never consults a
 * resolver; a host name stays unresolved and is looked up per connect by the route's non-blocking
 * DNS resolver, so DNS changes are followed and no event loop ever blocks on a lookup.
 */
public record Upstream(HostPort hostPort, InetSocketAddress address) {

    /** An upstream for {@code hostPort}. */
    public static Upstream of(HostPort hostPort) {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(hostPort.host());
        if (literal == null) {
            return new Upstream(hostPort, InetSocketAddress.createUnresolved(hostPort.host(), hostPort.port()));
        }
        try {
            return new Upstream(hostPort, new InetSocketAddress(InetAddress.getByAddress(literal), hostPort.port()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(hostPort + " (expected: a valid IP address)", e);
        }
    }

    @Override
    public String toString() {
        return hostPort.toString();
    }
}
