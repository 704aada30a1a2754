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
 * whether it is asked for or not, so this changes no wake-up; it only keeps the socket in epoll until
 * Netty deregisters it at close. Netty offers no public way to do this, hence the reflective call to
 * {@code AbstractEpollChannel.setFlag}; if that ever fails, the relay works as before and it is logged.
 */
public final class EpollHalfClosure {

    private static final Logger log = LoggerFactory.getLogger(EpollHalfClosure.class);
    private static final Method SET_FLAG = setFlagMethod();

    private EpollHalfClosure() {
    }

    /** Call when {@code channel}'s input has been shut down by its peer's FIN. No-op off epoll. */
    public static void keepRegistered(Channel channel) {
        if (SET_FLAG == null || !(channel instanceof EpollSocketChannel) || !channel.isOpen()) {
            return;
        }
        try {
            SET_FLAG.invoke(channel, Native.EPOLLERR);
        } catch (IllegalAccessException | InvocationTargetException e) {
            log.debug("could not keep {} registered with epoll", channel, e);
        }
    }

    private static Method setFlagMethod() {
        try {
            Method method = Class.forName("io.netty.channel.epoll.AbstractEpollChannel")
                    .getDeclaredMethod("setFlag", int.class);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("epoll half-closure workaround unavailable ({}): long replies after a client's FIN may be"
                    + " truncated under backpressure", e.toString());
            return null;
        }
    }
}
