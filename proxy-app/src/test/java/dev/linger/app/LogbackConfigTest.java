package dev.linger.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code logback.xml}, configured into a private context. It silences logback's own status
 * output, so this is where a mistake in it shows.
 */
class LogbackConfigTest {

    private final LoggerContext context = new LoggerContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    private void configure(Map<String, String> properties) throws JoranException {
        properties.forEach(context::putProperty);
        URL config = LogbackConfigTest.class.getClassLoader().getResource("logback.xml");
        assertThat(config).as("logback.xml on the classpath").isNotNull();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);
    }

    @Test
    void configuresWithoutWarningsOrErrors() throws JoranException {
        configure(Map.of());

        assertThat(new StatusUtil(context).getHighestLevel(0))
                .as("logback status: %s", context.getStatusManager().getCopyOfStatusList())
                .isLessThan(Status.WARN);
    }

    @Test
    void accessLogHasItsOwnNonBlockingAppender() throws JoranException {
        configure(Map.of());

        Logger access = context.getLogger("proxy.access");
        assertThat(access.isAdditive()).isFalse();
        assertThat(access.getLevel()).isEqualTo(Level.INFO);
        assertThat(access.getAppender("ACCESS")).isInstanceOfSatisfying(AsyncAppender.class, async -> {
            assertThat(async.isNeverBlock()).isTrue();
            assertThat(async.getDiscardingThreshold()).isZero();
            assertThat(async.getAppender("ACCESS_CONSOLE")).isNotNull();
        });
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ACCESS")).isNull();
    }

    @Test
    void nettyIsAtWarnAndTheRestAtInfoByDefault() throws JoranException {
        configure(Map.of());

        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void levelsCanBeOverridden() throws JoranException {
        // A context property stands in for -DLINGER_LOG_LEVEL / the environment variable: logback looks
        // all three up the same way.
        configure(Map.of("LINGER_LOG_LEVEL", "DEBUG", "LINGER_NETTY_LOG_LEVEL", "INFO"));

        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.INFO);
    }
}
