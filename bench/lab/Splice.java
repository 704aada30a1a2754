import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;

/**
 * Lab prototype, not part of linger: a one-route TCP relay that moves bytes with Netty's epoll spliceTo (kernel
 * pipes), both ways, to compare with linger's relay under iperf3 (bench/NOTES.md, "Where the rest goes":
 * Splice). No byte counts, no half-close: a close on either side closes both.
 *
 * <p>Run: {@code java -cp proxy-app/target/proxy-app.jar bench/lab/Splice.java LISTEN_PORT UPSTREAM_PORT}
 * (127.0.0.1 both), then {@code iperf3 -c 127.0.0.1 -p LISTEN_PORT} (and {@code -R}) against an iperf3 server.
 */
public class Splice {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                    @Override
                    protected void initChannel(EpollSocketChannel client) {
                        new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
                                .option(ChannelOption.AUTO_READ, false)
                                .option(ChannelOption.TCP_NODELAY, true)
                                .handler(new ChannelInboundHandlerAdapter())
                                .connect("127.0.0.1", upstreamPort).addListener((ChannelFuture f) -> {
                                    if (!f.isSuccess()) { client.close(); return; }
                                    EpollSocketChannel upstream = (EpollSocketChannel) f.channel();
                                    client.spliceTo(upstream, Integer.MAX_VALUE);
                                    upstream.spliceTo(client, Integer.MAX_VALUE);
                                    client.closeFuture().addListener(x -> upstream.close());
                                    upstream.closeFuture().addListener(x -> client.close());
                                    client.config().setAutoRead(true);
                                    upstream.config().setAutoRead(true);
                                });
                    }
                })
                .bind("127.0.0.1", port).sync().channel().closeFuture().sync();
    }
}
