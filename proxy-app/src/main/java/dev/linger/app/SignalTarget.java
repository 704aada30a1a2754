package dev.linger.app;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the command line's stop and reload signals go. It takes them over before the proxy starts to
 * listen: a SIGTERM that arrives while it starts (a supervisor that stops it as soon as its port answers)
 * is held, and stops the proxy the moment it runs, with the usual drain and exit status 0, instead of the
 * JVM's default exit in the middle of start-up.
 */
public final class SignalTarget {

    private static final Logger log = LoggerFactory.getLogger(SignalTarget.class);

    private ProxyProcess process; // guarded by this
    private final List<String> heldStops = new ArrayList<>(); // guarded by this

    SignalTarget() { // tests make one without taking the signals over
    }

    /** A target that receives SIGTERM, SIGINT and SIGHUP from now on. */
    public static SignalTarget install() {
        SignalTarget target = new SignalTarget();
        StopSignals.install(target::stop, target::reload);
        return target;
    }

    /** The proxy is running: stop requests held until now reach it, in order. */
    public synchronized void attach(ProxyProcess running) {
        process = running;
        heldStops.forEach(running::requestStop);
        heldStops.clear();
    }

    synchronized void stop(String reason) {
        if (process == null) {
            log.info("{} while starting: stopping once started", reason);
            heldStops.add(reason);
        } else {
            process.requestStop(reason);
        }
    }

    private void reload() {
        ProxyProcess running;
        synchronized (this) {
            running = process;
        }
        if (running == null) {
            log.info("SIGHUP while starting: nothing to reload yet, the configuration being loaded is the file's");
        } else {
            running.reload();
        }
    }
}
