package dev.linger.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.Native;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around a Netty 4.2.18 epoll defect that truncates a half-closed relay.
 *
 * <p>After a peer's FIN, Netty clears EPOLLIN and EPOLLRDHUP from the socket's interest set; once the
 * set is empty it removes the socket from epoll ({@code EPOLL_CTL_DEL}) but keeps believing it is
 * registered. The next time the socket's send buffer fills, Netty asks to watch EPOLLOUT with
 * {@code EPOLL_CTL_MOD}, which fails with ENOENT; Netty then shuts the output down and fails every
 * pending write, so the peer gets a truncated stream followed by a FIN ({@code RelayIT} reproduces it).
 *
 * <p>Adding EPOLLERR to the interest set keeps it from ever becoming empty. The kernel reports EPOLLERR
 * whether it is asked for or not, so this changes no wake-up while the socket is half-open. Only EPOLLOUT
 * needs the socket in epoll, so the flag is needed only while the proxy may still write to it: once the
 * proxy's own FIN has gone out it is taken back ({@link #released}). A socket shut both ways is reported
 * as EPOLLHUP on every wait whatever its interest set, and kept in epoll it would spin the event loop.
 * Netty offers no public way to do this, hence the reflective calls to {@code AbstractEpollChannel.setFlag}
 * and {@code clearFlag}; if they ever fail, the relay works as before and it is logged.
 */
public final class EpollHalfClosure {

    private static final Logger log = LoggerFactory.getLogger(EpollHalfClosure.class);
    private static final Method SET_FLAG = flagMethod("setFlag");
    private static final Method CLEAR_FLAG = flagMethod("clearFlag");

    private EpollHalfClosure() {
    }

    /**
     * Call when {@code channel}'s input has been shut down by its peer's FIN. No-op off epoll, and once the
     * proxy has shut the channel's output itself: nothing will be written to it any more.
     */
    public static void keepRegistered(Channel channel) {
        if (channel instanceof EpollSocketChannel epoll && !epoll.isOutputShutdown() && channel.isOpen()) {
            invoke(SET_FLAG, channel);
        }
    }

    /**
     * Call when the proxy has shut {@code channel}'s output (sent its FIN): a socket whose input is shut too
     * leaves epoll now, so that it does not wake the event loop with EPOLLHUP until it is closed.
     */
    public static void released(Channel channel) {
        if (channel instanceof EpollSocketChannel epoll && epoll.isInputShutdown() && channel.isOpen()) {
            invoke(CLEAR_FLAG, channel);
        }
    }

    private static void invoke(Method flagMethod, Channel channel) {
        if (flagMethod == null) {
            return;
        }
        try {
            flagMethod.invoke(channel, Native.EPOLLERR);
        } catch (IllegalAccessException | InvocationTargetException e) {
            log.debug("could not {} EPOLLERR on {}", flagMethod.getName(), channel, e);
        }
    }

    private static Method flagMethod(String name) {
        try {
            Method method = Class.forName("io.netty.channel.epoll.AbstractEpollChannel")
                    .getDeclaredMethod(name, int.class);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("epoll half-closure workaround unavailable ({}): long replies after a client's FIN may be"
                    + " truncated under backpressure", e.toString());
            return null;
        }
    }
}
