package dev.linger.proxy.session;

import dev.linger.proxy.config.Cidr;
import dev.linger.proxy.config.ProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/** PROXY protocol (Netty's codec-haproxy): who may send a header, what it says, and the one we send. */
final class ProxyHeaders {

    private ProxyHeaders() {
    }

    static boolean trusted(SocketAddress client, List<Cidr> trustedSources) {
        return client instanceof InetSocketAddress inet
                && trustedSources.stream().anyMatch(cidr -> cidr.contains(inet));
    }

    /** The source a header names, or {@code fallback} for a LOCAL or UNKNOWN header (health checks). */
    static SocketAddress source(HAProxyMessage header, SocketAddress fallback) {
        return names(header) ? new InetSocketAddress(header.sourceAddress(), header.sourcePort()) : fallback;
    }

    static SocketAddress destination(HAProxyMessage header, SocketAddress fallback) {
        return names(header)
                ? new InetSocketAddress(header.destinationAddress(), header.destinationPort()) : fallback;
    }

    private static boolean names(HAProxyMessage header) {
        return header.command() == HAProxyCommand.PROXY
                && (header.proxiedProtocol() == HAProxyProxiedProtocol.TCP4
                        || header.proxiedProtocol() == HAProxyProxiedProtocol.TCP6);
    }

    /** The header sent upstream: the real client as source, the address it connected to as destination. */
    static HAProxyMessage header(ProxyProtocolVersion version, SocketAddress source, SocketAddress destination) {
        HAProxyProtocolVersion wire = version == ProxyProtocolVersion.V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        InetSocketAddress src = (InetSocketAddress) source;
        InetSocketAddress dst = (InetSocketAddress) destination;
        InetAddress srcAddress = src.getAddress();
        InetAddress dstAddress = dst.getAddress();
        boolean v6 = srcAddress instanceof Inet6Address || dstAddress instanceof Inet6Address;
        return new HAProxyMessage(wire, HAProxyCommand.PROXY,
                v6 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4,
                literal(srcAddress, v6), literal(dstAddress, v6), src.getPort(), dst.getPort());
    }

    /** An address as the header writes it; an IPv4 one beside an IPv6 one is written IPv4-mapped. */
    private static String literal(InetAddress address, boolean v6) {
        String text = NetUtil.toAddressString(address);
        return v6 && !(address instanceof Inet6Address) ? "::ffff:" + text : text;
    }
}
