package dev.linger.proxy.testing;

/** Lets LeakGuardTest look at the guard's state without draining it. */
final class LeakGuardTestAccess {

    private LeakGuardTestAccess() {
    }

    static void provoke() {
        LeakGuard.provokeLeakReports();
    }

    static int peek() {
        return LeakLog.count();
    }
}
