package dev.linger.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.Native;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoll interest set of a session socket: what it is registered with, and the flags the proxy changes
 * behind Netty's back.
 *
 * <p>Each session socket is {@linkplain #prepare prepared} before Netty registers it, so that its
 * {@code EPOLL_CTL_ADD} already carries:
 * <ul>
 *   <li>EPOLLIN: both sockets of a session are read from the start (autoRead), the client's while its
 *       upstream connects too. Netty would add it with an {@code EPOLL_CTL_MOD} when the channel becomes
 *       active, one system call per socket; while a connect is in progress nothing can be read, and the
 *       EPOLLOUT that completes it is handled first.</li>
 *   <li>EPOLLERR: the half-closure workaround ({@link EpollHalfClosure}).</li>
 * </ul>
 *
 * <p>Netty offers no public way to change the set, hence the calls, through method handles, to
 * {@code AbstractEpollChannel.setFlag} and {@code clearFlag}; if they ever fail, Netty's own calls still
 * add EPOLLIN and the relay works as before, and it is logged.
 */
public final class EpollInterest {

    private static final Logger log = LoggerFactory.getLogger(EpollInterest.class);
    private static final MethodHandle SET_FLAG = flagMethod("setFlag");
    private static final MethodHandle CLEAR_FLAG = flagMethod("clearFlag");

    /**
     * On a listening channel's pipeline: prepares each accepted socket before Netty registers it (the next
     * handler, Netty's acceptor, registers it).
     */
    public static final ChannelHandler PREPARE_ACCEPTED = new PrepareAccepted();

    private EpollInterest() {
    }

    /**
     * Call on a session socket before it is registered with its event loop: no system call, the flags join
     * the interest set Netty registers. No-op off epoll.
     */
    public static <C extends Channel> C prepare(C channel) {
        if (channel instanceof EpollSocketChannel && !channel.isRegistered()) {
            set(channel, Native.EPOLLIN);
            set(channel, Native.EPOLLERR);
        }
        return channel;
    }

    /** Whether Netty's flag methods were found (a test guards it across Netty upgrades). */
    static boolean available() {
        return SET_FLAG != null && CLEAR_FLAG != null;
    }

    /** Adds {@code flag} to an epoll channel's interest set ({@code EPOLL_CTL_MOD} once registered). */
    static void set(Channel channel, int flag) {
        invoke(SET_FLAG, channel, flag);
    }

    /** Removes {@code flag} from an epoll channel's interest set. */
    static void clear(Channel channel, int flag) {
        invoke(CLEAR_FLAG, channel, flag);
    }

    @ChannelHandler.Sharable
    private static final class PrepareAccepted extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel accepted) {
                prepare(accepted);
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static void invoke(MethodHandle flagMethod, Channel channel, int flag) {
        if (flagMethod == null) {
            return;
        }
        try {
            flagMethod.invokeExact(channel, flag);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) { // an IOException or UncheckedIOException: epoll_ctl failed
            log.debug("could not change epoll flag {} on {}", flag, channel, e);
        }
    }

    /** A method handle, not reflection: it costs what a direct call does on the path of every connection. */
    private static MethodHandle flagMethod(String name) {
        try {
            Method method = Class.forName("io.netty.channel.epoll.AbstractEpollChannel")
                    .getDeclaredMethod(name, int.class);
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method)
                    .asType(MethodType.methodType(void.class, Channel.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("epoll interest set cannot be changed ({}): long replies after a client's FIN may be"
                    + " truncated under backpressure", e.toString());
            return null;
        }
    }
}
