package dev.linger.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The jar processes a test started: each is killed after the test, whatever state the test left it in. */
final class StartedProcesses implements AfterEachCallback {

    private final List<Process> started = new ArrayList<>();

    /** Registers {@code process} to be killed after the test; returns it. */
    Process add(Process process) {
        started.add(process);
        return process;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        started.clear();
    }
}
