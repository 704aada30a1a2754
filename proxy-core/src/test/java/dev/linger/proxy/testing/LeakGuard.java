package dev.linger.proxy.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty reported a buffer leak during it. Registered for every test through JUnit's
 * extension auto-detection (META-INF/services); tests run with paranoid leak detection (parent pom).
 */
public final class LeakGuard implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        provokeLeakReports();
        List<String> reports = LeakLog.drain();
        if (!reports.isEmpty()) {
            throw new AssertionError("Netty reported " + reports.size() + " buffer leak(s) in "
                    + context.getDisplayName() + ":\n" + String.join("\n", reports));
        }
    }

    /** Leaks are reported when a later buffer is tracked after the leaked one was collected. */
    static void provokeLeakReports() {
        for (int round = 0; round < 2; round++) {
            System.gc();
            for (int i = 0; i < 8; i++) {
                ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(16);
                probe.release();
            }
        }
    }
}
