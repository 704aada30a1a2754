package dev.linger.proxy.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/** Keeps the latest access-log lines (logger {@code proxy.access}, see logback-test.xml) for tests. */
public final class AccessLines extends AppenderBase<ILoggingEvent> {

    private static final int KEEP = 10_000;
    private static final ConcurrentLinkedDeque<String> LINES = new ConcurrentLinkedDeque<>();

    @Override
    protected void append(ILoggingEvent event) {
        LINES.add(event.getFormattedMessage());
        while (LINES.size() > KEEP) {
            LINES.poll();
        }
    }

    /** The lines logged so far for {@code route}. */
    public static List<String> of(String route) {
        return LINES.stream().filter(line -> line.contains(" route=" + route + " ")).toList();
    }
}
