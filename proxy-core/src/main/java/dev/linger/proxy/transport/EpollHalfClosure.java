package dev.linger.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.Native;

/**
 * Works around a Netty 4.2.18 epoll defect that truncates a half-closed relay.
 *
 * <p>After a peer's FIN, Netty clears EPOLLIN and EPOLLRDHUP from the socket's interest set; once the
 * set is empty it removes the socket from epoll ({@code EPOLL_CTL_DEL}) but keeps believing it is
 * registered. The next time the socket's send buffer fills, Netty asks to watch EPOLLOUT with
 * {@code EPOLL_CTL_MOD}, which fails with ENOENT; Netty then shuts the output down and fails every
 * pending write, so the peer gets a truncated stream followed by a FIN ({@code RelayIT} reproduces it).
 *
 * <p>EPOLLERR in the interest set keeps it from ever becoming empty. The kernel reports EPOLLERR whether it
 * is asked for or not, so this changes no wake-up. It is set on each session socket before the socket is
 * registered ({@link EpollInterest#prepare}), so it rides on Netty's own {@code EPOLL_CTL_ADD} instead of
 * costing an {@code EPOLL_CTL_MOD} at every FIN. Only EPOLLOUT needs the socket in epoll, so the flag is
 * needed only while the proxy may still write to it: a socket shut both ways (the peer's FIN read, ours
 * sent) that stays open, waiting for its FIN to be acknowledged, gives it back
 * ({@link #releaseIfShutBothWays}), because epoll reports such a socket as EPOLLHUP on every wait whatever
 * its interest set, and it would spin the event loop.
 */
public final class EpollHalfClosure {

    private EpollHalfClosure() {
    }

    /**
     * Call when {@code channel} stays open after the proxy has sent its FIN: once its input is shut too, it
     * leaves epoll now, so that it does not wake the event loop with EPOLLHUP until it is closed. Idempotent;
     * no-op off epoll and while the peer may still send.
     */
    public static void releaseIfShutBothWays(Channel channel) {
        if (channel instanceof EpollSocketChannel epoll && epoll.isInputShutdown() && epoll.isOutputShutdown()
                && channel.isOpen()) {
            EpollInterest.clear(channel, Native.EPOLLERR);
        }
    }
}
