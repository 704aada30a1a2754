package dev.linger.proxy.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Logback appender (see logback-test.xml) that keeps every leak report Netty's
 * {@code ResourceLeakDetector} logs, so {@link LeakGuard} can fail the test that caused it.
 */
public final class LeakLog extends AppenderBase<ILoggingEvent> {

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.ERROR) && event.getFormattedMessage().contains("LEAK")) {
            REPORTS.add(event.getFormattedMessage());
        }
    }

    static int count() {
        return REPORTS.size();
    }

    /** Returns and forgets the reports logged so far. */
    static List<String> drain() {
        List<String> reports = List.copyOf(REPORTS);
        REPORTS.removeAll(reports);
        return reports;
    }
}
