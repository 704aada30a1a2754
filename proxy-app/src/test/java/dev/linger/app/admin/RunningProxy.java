package dev.linger.app.admin;

import dev.linger.app.ProxyProcess;
import dev.linger.proxy.ProxyStartException;
import dev.linger.proxy.config.AdminConfig;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.ProxyConfig;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.testing.TestRoutes;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The whole process as {@code main} runs it, in-process: routes on loopback port 0 and the admin
 * listener on loopback port 0, with a client for it.
 */
final class RunningProxy implements AutoCloseable {

    final ProxyProcess process;
    final AdminClient admin;

    private RunningProxy(ProxyProcess process) {
        this.process = process;
        this.admin = new AdminClient(process.adminAddress().orElseThrow());
    }

    static RunningProxy start(RouteConfig... routes) throws ProxyStartException {
        return start("", routes);
    }

    static RunningProxy start(String token, RouteConfig... routes) throws ProxyStartException {
        return new RunningProxy(ProxyProcess.start(withAdmin(TestRoutes.proxy(routes), token)));
    }

    /** {@code config} with the admin listener on 127.0.0.1, port 0. */
    static ProxyConfig withAdmin(ProxyConfig config, String token) {
        return config.withAdmin(new AdminConfig(Optional.of(new HostPort("127.0.0.1", 0)), token));
    }

    int port(String route) {
        return process.server().boundAddress(route).getPort();
    }

    InetSocketAddress adminAddress() {
        return process.adminAddress().orElseThrow();
    }

    @Override
    public void close() {
        process.close();
    }
}
