package dev.linger.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.metrics.Direction;
import dev.linger.proxy.metrics.RouteMeters;
import dev.linger.proxy.testing.Meters;
import dev.linger.proxy.testing.TestRoutes;
import dev.linger.proxy.transport.DrainProbe;
import dev.linger.proxy.transport.Transport;
import dev.linger.proxy.upstream.Upstream;
import dev.linger.proxy.upstream.Dialer;
import dev.linger.proxy.upstream.UpstreamAttempt;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import io.netty.channel.EventLoop;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The teardown owner on embedded channels, for event orders real sockets make hard to reproduce. The
 * drain probe answers "unknown", as on NIO: a half-closed socket drains when the peer's FIN arrives.
 */
class SessionTest {

    private static final HostPort UPSTREAM = new HostPort("127.0.0.1", 5432);
    private static final Duration LINGER = Duration.ofSeconds(2);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private EmbeddedDuplexChannel client;
    private EmbeddedDuplexChannel upstream;
    private Session session;
    private int ended;
    private DrainProbe probe = DrainProbe.UNKNOWN;
    private final SessionChannels channels = new SessionChannels();
    /** Set before {@code open}: the upstream connect stays in progress until the test completes it. */
    private boolean connectLater;
    private ChannelPromise connecting;
    private EventLoop connectedOn;

    @AfterEach
    void releaseEverything() {
        client.finishAndReleaseAll();
        if (upstream != null) {
            upstream.finishAndReleaseAll();
        }
    }

    private void open(RouteConfig config) {
        RouteMeters meters = new RouteMeters(config.name(), List.of(UPSTREAM.toString()), registry, () -> 0);
        client = new EmbeddedDuplexChannel();
        client.config().setMessageSizeEstimator(Transport.QUEUED_MEMORY); // as both session bootstraps set it
        SessionRoute route = new SessionRoute() {
            @Override
            public RouteConfig config() {
                return config;
            }

            @Override
            public RouteMeters meters() {
                return meters;
            }

            @Override
            public boolean accessLog() {
                return true;
            }

            @Override
            public DrainProbe drainProbe() {
                return probe;
            }

            @Override
            public SessionChannels channels() {
                return channels;
            }

            @Override
            public boolean admit(Session admitted) {
                return true;
            }

            @Override
            public void ended(Session done) {
                ended++;
            }

            @Override
            public <S> UpstreamAttempt<S> connect(EventLoop loop, Dialer<S> dialer) {
                connectedOn = loop;
                Promise<S> connected = loop.newPromise();
                dialer.dial(0, Upstream.of(UPSTREAM).address(), loop, (socket, failure) -> {
                    if (failure == null) {
                        connected.setSuccess(socket);
                    } else {
                        connected.setFailure(failure);
                    }
                });
                return new UpstreamAttempt<>() {
                    @Override
                    public Future<S> connected() {
                        return connected;
                    }

                    @Override
                    public Upstream upstream() {
                        return Upstream.of(UPSTREAM);
                    }

                    @Override
                    public void cancel() {
                    }

                    @Override
                    public void release() {
                    }
                };
            }

            @Override
            public ChannelFuture openChannel(int index, InetSocketAddress address, EventLoop loop,
                    ChannelHandler handler) {
                upstream = new EmbeddedDuplexChannel(handler);
                upstream.config().setMessageSizeEstimator(Transport.QUEUED_MEMORY);
                connecting = upstream.newPromise();
                return connectLater ? connecting : connecting.setSuccess();
            }
        };
        ChannelSocket clientSocket = new ChannelSocket(client, route.drainProbe());
        session = new Session(client.eventLoop(), route, clientSocket,
                Session.speaksProxyProtocol(config) ? new HeaderIntake(client.eventLoop(), clientSocket) : null,
                SocketLayer.CHANNELS);
        client.pipeline().addLast(new RelayHandler(session, Side.CLIENT));
        client.freezeTime();
        session.start();
    }

    private void open(Policy policy) {
        open(TestRoutes.route("db", policy, LINGER, Map.of(), UPSTREAM));
    }

    private static void fin(EmbeddedDuplexChannel channel) {
        channel.receiveFin();
    }

    private static void reset(EmbeddedDuplexChannel channel) {
        channel.pipeline().fireExceptionCaught(new SocketException("Connection reset"));
    }

    private long closed(Trigger trigger, TeardownPath path) {
        return Meters.closed(registry, "db", trigger, path);
    }

    @Test
    void relaysBytesBothWaysAndCountsThem() {
        open(Policy.GRACEFUL);
        client.writeInbound(Unpooled.copiedBuffer("request", StandardCharsets.US_ASCII));
        upstream.writeInbound(Unpooled.copiedBuffer("reply!", StandardCharsets.US_ASCII));

        assertThat(upstream.<ByteBuf>readOutbound().toString(StandardCharsets.US_ASCII)).isEqualTo("request");
        assertThat(client.<ByteBuf>readOutbound().toString(StandardCharsets.US_ASCII)).isEqualTo("reply!");
        assertThat(Meters.bytes(registry, "db", Direction.UPSTREAM)).isEqualTo(7);
        assertThat(Meters.bytes(registry, "db", Direction.DOWNSTREAM)).isEqualTo(6);
    }

    @Test
    void theUpstreamIsConnectedOnTheClientsOwnEventLoop() {
        // One thread for both channels: no hand-off between loops, and no locks in the session.
        open(Policy.GRACEFUL);

        assertThat(connectedOn).isSameAs(client.eventLoop());
    }

    @Test
    void aReadPastTheWriteHighWatermarkIsFlushedAtOnceAndReadingGoesOn() {
        open(Policy.GRACEFUL);
        client.writeOneInbound(Unpooled.copiedBuffer("small", StandardCharsets.US_ASCII)); // no batch end yet
        assertThat(upstream.<ByteBuf>readOutbound()).as("a small read waits for its batch's end").isNull();

        int big = upstream.config().getWriteBufferHighWaterMark() + 1;
        client.writeOneInbound(Unpooled.wrappedBuffer(new byte[big]));

        ByteBuf small = upstream.readOutbound();
        assertThat(small).as("flushed once a read passed the high watermark, before the batch's end").isNotNull();
        ByteBuf large = upstream.readOutbound();
        assertThat(small.toString(StandardCharsets.US_ASCII)).isEqualTo("small");
        assertThat(large.readableBytes()).isEqualTo(big);
        small.release();
        large.release();
        assertThat(upstream.isWritable()).isTrue();
        assertThat(client.config().isAutoRead()).as("the upstream took it all: no backpressure").isTrue();
        assertThat(Meters.bytes(registry, "db", Direction.UPSTREAM)).isEqualTo(5 + big);
    }

    @Test
    void aSmallReadInALargeBufferCountsItsCapacityAgainstTheWatermark() {
        // A socket's read guess stays large for a few reads after a burst: what such a read holds is its capacity.
        open(Policy.GRACEFUL);
        client.writeOneInbound(Unpooled.copiedBuffer("small", StandardCharsets.US_ASCII));
        int large = upstream.config().getWriteBufferHighWaterMark() + 1;
        client.writeOneInbound(Unpooled.buffer(large).writeByte('x')); // one byte, no batch end yet

        ByteBuf small = upstream.readOutbound();
        assertThat(small).as("flushed before the batch's end: the queue passed the watermark").isNotNull();
        ByteBuf oneByte = upstream.readOutbound();
        assertThat(small.toString(StandardCharsets.US_ASCII)).isEqualTo("small");
        assertThat(oneByte.readableBytes()).isEqualTo(1);
        small.release();
        oneByte.release();
        assertThat(Meters.bytes(registry, "db", Direction.UPSTREAM)).as("counted by bytes, not capacity").isEqualTo(6);
    }

    @Test
    void clientBytesReadWhileTheUpstreamConnectsGoOutInOrderOnConnectAndCountThen() {
        connectLater = true;
        open(Policy.GRACEFUL);
        client.writeInbound(Unpooled.copiedBuffer("GET / ", StandardCharsets.US_ASCII));
        client.writeInbound(Unpooled.copiedBuffer("HTTP/1.1", StandardCharsets.US_ASCII));
        assertThat(upstream.outboundMessages()).isEmpty();
        assertThat(Meters.bytes(registry, "db", Direction.UPSTREAM)).isZero();

        connecting.setSuccess();

        ByteBuf sent = Unpooled.buffer();
        ByteBuf part;
        while ((part = upstream.readOutbound()) != null) {
            sent.writeBytes(part);
            part.release();
        }
        assertThat(sent.toString(StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.1");
        sent.release();
        assertThat(Meters.bytes(registry, "db", Direction.UPSTREAM)).isEqualTo(14);
    }

    @Test
    void whileTheUpstreamConnectsTheClientIsReadUpToItsLimitThenResumedOnConnect() {
        connectLater = true;
        open(Policy.GRACEFUL);
        int chunk = 2048; // what a new socket's first reads take
        int held = 0;
        while (held + chunk < ConnectBuffer.LIMIT) {
            client.writeInbound(Unpooled.wrappedBuffer(new byte[chunk]));
            held += chunk;
            assertThat(client.config().isAutoRead()).as("reading with %d bytes held", held).isTrue();
        }
        client.writeInbound(Unpooled.wrappedBuffer(new byte[chunk]));
        held += chunk;
        assertThat(client.config().isAutoRead()).as("reading with %d bytes held", held).isFalse();

        connecting.setSuccess();

        assertThat(client.config().isAutoRead()).isTrue();
        long sent = 0;
        ByteBuf part;
        while ((part = upstream.readOutbound()) != null) {
            sent += part.readableBytes();
            part.release();
        }
        assertThat(sent).isEqualTo(held);
        assertThat(Meters.bytes(registry, "db", Direction.UPSTREAM)).isEqualTo(held);
    }

    @Test
    void bytesHeldForAnUpstreamThatNeverConnectedAreDiscardedNotRelayed() {
        connectLater = true;
        open(Policy.GRACEFUL);
        client.writeInbound(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));

        connecting.setFailure(new ConnectException("Connection refused"));

        assertThat(upstream.outboundMessages()).isEmpty();
        assertThat(Meters.bytes(registry, "db", Direction.UPSTREAM)).isZero();
        assertThat(Meters.discarded(registry, "db", Direction.UPSTREAM)).isEqualTo(5);
        assertThat(client.isOutputShutdown()).isTrue();
        fin(client);
        assertThat(closed(Trigger.CONNECT_FAILED, TeardownPath.GRACEFUL)).isEqualTo(1);
    }

    @Test
    void finFromBothSidesAtOnceEndsGracefullyOnTheFirstTrigger() {
        open(Policy.GRACEFUL);

        fin(client);
        fin(upstream);

        assertThat(client.isOutputShutdown()).isTrue();
        assertThat(upstream.isOutputShutdown()).isTrue();
        assertThat(client.isOpen()).isFalse();
        assertThat(upstream.isOpen()).isFalse();
        assertThat(closed(Trigger.CLIENT_FIN, TeardownPath.GRACEFUL)).isEqualTo(1);
        assertThat(ended).isEqualTo(1);
    }

    @Test
    void aSocketWaitingOnlyForThePeersFinIsClosedAtItAndCountedAsThatFin() {
        probe = channel -> DrainProbe.Drain.DRAINED;
        open(Policy.GRACEFUL);
        assertThat(client.allowsHalfClosure()).isTrue();

        fin(upstream); // our FIN goes to the client and drains: all its socket waits for now is the client's FIN
        assertThat(client.allowsHalfClosure()).isFalse();
        assertThat(upstream.allowsHalfClosure()).isTrue(); // the client may still send to the upstream
        client.writeInbound(Unpooled.copiedBuffer("last", StandardCharsets.US_ASCII));
        fin(client); // the transport closes the client's channel

        ByteBuf last = upstream.readOutbound();
        assertThat(last.toString(StandardCharsets.US_ASCII)).isEqualTo("last");
        last.release();
        assertThat(upstream.isOutputShutdown()).isTrue();
        assertThat(upstream.isOpen()).isFalse();
        assertThat(closed(Trigger.UPSTREAM_FIN, TeardownPath.GRACEFUL)).isEqualTo(1);
        assertThat(Meters.closedSeries(registry, "db")).hasSize(1);
        assertThat(ended).isEqualTo(1);
    }

    @Test
    void aReadAfterOurFinAsksWhetherTheSocketDrainedBeforeThePeersFinIsHandled() {
        AtomicBoolean acked = new AtomicBoolean();
        probe = channel -> acked.get() ? DrainProbe.Drain.DRAINED : DrainProbe.Drain.PENDING;
        open(Policy.GRACEFUL);
        fin(upstream);
        assertThat(client.allowsHalfClosure()).isTrue(); // our FIN is not acknowledged yet

        acked.set(true); // the client's next segment acknowledges it, well before the next poll
        client.writeInbound(Unpooled.copiedBuffer("bye", StandardCharsets.US_ASCII));

        assertThat(client.allowsHalfClosure()).isFalse();
    }

    @Test
    void aClientClosedAtItsFinAfterAFailedConnectEndsOnTheConnectsTrigger() {
        probe = channel -> DrainProbe.Drain.DRAINED;
        connectLater = true;
        open(Policy.GRACEFUL);
        connecting.setFailure(new ConnectException("Connection refused"));
        assertThat(client.allowsHalfClosure()).isFalse();

        fin(client); // the session's only channel closes

        assertThat(closed(Trigger.CONNECT_FAILED, TeardownPath.GRACEFUL)).isEqualTo(1);
        assertThat(Meters.closedSeries(registry, "db")).hasSize(1);
    }

    @Test
    void aSocketWhoseFinIsNotYetAcknowledgedStaysHalfClosedAtThePeersFin() {
        probe = channel -> DrainProbe.Drain.PENDING;
        open(Policy.GRACEFUL);

        fin(upstream);
        fin(client);

        assertThat(client.allowsHalfClosure()).isTrue();
        assertThat(client.isOpen()).isTrue(); // open until its FIN drains or its deadline resets it
        assertThat(upstream.isOutputShutdown()).isTrue();
        assertThat(session.path()).isNull();
    }

    @Test
    void aChannelClosedUnderTheSessionBeforeItsFinIsAnErrorEndedUnderTheRoutesPolicyForErrors() {
        open(TestRoutes.route("db", Policy.GRACEFUL, LINGER, Map.of(Trigger.ERROR, Policy.ABORT), UPSTREAM));

        client.close();

        assertThat(upstream.isOpen()).isFalse();
        assertThat(closed(Trigger.ERROR, TeardownPath.ABORT)).isEqualTo(1);
    }

    @Test
    void aChannelClosedUnderTheSessionOnAGracefulErrorPolicyEndsTheOtherSideWithAFin() {
        open(Policy.GRACEFUL); // teardown.on.error is the route's graceful policy

        client.close();

        assertThat(upstream.isOutputShutdown()).as("the upstream got our FIN, not a reset").isTrue();
        assertThat(upstream.isOpen()).isTrue();
        fin(upstream);
        assertThat(upstream.isOpen()).isFalse();
        assertThat(closed(Trigger.ERROR, TeardownPath.GRACEFUL)).isEqualTo(1);
        assertThat(ended).isEqualTo(1);
    }

    @Test
    void bothChannelsCountAsOpenUntilTheirPipelinesAreTornDown() {
        open(Policy.GRACEFUL);
        assertThat(channels.open()).isEqualTo(2);

        fin(client);
        fin(upstream);
        client.runPendingTasks(); // the pipelines are torn down after close, in a later task
        upstream.runPendingTasks();

        assertThat(channels.open()).isZero();
    }

    @Test
    void resetDuringDrainAbortsAndKeepsTheFirstTrigger() {
        open(Policy.GRACEFUL);
        fin(upstream); // the client side is now draining: our FIN sent, the client's not yet

        reset(client);

        assertThat(client.isOpen()).isFalse();
        assertThat(upstream.isOpen()).isFalse();
        assertThat(closed(Trigger.UPSTREAM_FIN, TeardownPath.ABORT)).isEqualTo(1);
        assertThat(session.path()).isEqualTo(TeardownPath.ABORT);
    }

    @Test
    void deadlineResetsASocketThatDoesNotDrain() {
        open(Policy.GRACEFUL);
        fin(upstream);

        client.advanceTimeBy(LINGER.toMillis() - 1, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
        assertThat(client.isOpen()).isTrue();

        client.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();

        assertThat(client.isOpen()).isFalse();
        assertThat(upstream.isOpen()).isFalse();
        assertThat(closed(Trigger.UPSTREAM_FIN, TeardownPath.LINGER_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void deadlineFiringAfterCloseChangesNothing() {
        open(Policy.GRACEFUL);
        fin(upstream);
        fin(client);
        assertThat(closed(Trigger.UPSTREAM_FIN, TeardownPath.GRACEFUL)).isEqualTo(1);

        client.advanceTimeBy(LINGER.toMillis() * 2, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();

        assertThat(session.path()).isEqualTo(TeardownPath.GRACEFUL);
        assertThat(closed(Trigger.UPSTREAM_FIN, TeardownPath.LINGER_TIMEOUT)).isZero();
        assertThat(ended).isEqualTo(1);
    }

    @Test
    void kernelDrainStateIsPolledUntilTheFinIsAcknowledged() {
        AtomicInteger asked = new AtomicInteger();
        probe = channel -> asked.incrementAndGet() < 5 ? DrainProbe.Drain.PENDING : DrainProbe.Drain.DRAINED;
        open(Policy.GRACEFUL);
        fin(upstream);
        fin(client); // both FINs seen; the kernel still holds our FIN toward the client unacknowledged

        for (int i = 0; i < 10 && client.isOpen(); i++) {
            client.advanceTimeBy(20, TimeUnit.MILLISECONDS);
            client.runScheduledPendingTasks();
        }

        assertThat(asked.get()).isGreaterThanOrEqualTo(5);
        assertThat(client.isOpen()).isFalse();
        assertThat(closed(Trigger.UPSTREAM_FIN, TeardownPath.GRACEFUL)).isEqualTo(1);
    }

    @Test
    void everyLaterEventAfterAnAbortIsIgnored() {
        open(Policy.ABORT);
        fin(client);
        // The channels are closed now: later events are reported to the session directly.
        session.inputShutdown(Side.UPSTREAM);
        session.failed(Side.UPSTREAM, new SocketException("Connection reset"));
        session.end(Trigger.ADMIN, Policy.GRACEFUL);

        assertThat(closed(Trigger.CLIENT_FIN, TeardownPath.ABORT)).isEqualTo(1);
        assertThat(Meters.closedSeries(registry, "db")).hasSize(1);
        assertThat(ended).isEqualTo(1);
    }

    @Test
    void proxyInitiatedGracefulEndHalfClosesBothAndDiscardsUntilEachFin() {
        open(Policy.GRACEFUL);

        session.end(Trigger.SHUTDOWN);
        assertThat(client.isOutputShutdown()).isTrue();
        assertThat(upstream.isOutputShutdown()).isTrue();
        client.writeInbound(Unpooled.copiedBuffer("late", StandardCharsets.US_ASCII));
        assertThat(upstream.outboundMessages()).allSatisfy(
                message -> assertThat(((ByteBuf) message).readableBytes()).isZero());
        assertThat(Meters.discarded(registry, "db", Direction.UPSTREAM)).isEqualTo(4);

        fin(client);
        assertThat(client.isOpen()).isTrue();
        fin(upstream);
        assertThat(closed(Trigger.SHUTDOWN, TeardownPath.GRACEFUL)).isEqualTo(1);
    }
}
