package io.entraidc.harness

import org.junit.jupiter.api.extension.AfterAllCallback
import org.junit.jupiter.api.extension.AfterEachCallback
import org.junit.jupiter.api.extension.ExtensionContext

import static org.junit.jupiter.api.Assertions.fail

/**
 * Registered for every test (junit-platform.properties turns on extension auto-detection): after
 * each test, and after each class, no process carrying this JVM's {@link TestRun} mark may still
 * run. One that does (after a few seconds' grace for processes already dying) is killed and the
 * test fails, naming it: a test that kills or crashes a step must reap what that orphaned.
 */
class LeftoverProcessCheck implements AfterEachCallback, AfterAllCallback {
    static final long GRACE_MILLIS = 5000L

    @Override
    void afterEach(ExtensionContext context) { check(context.displayName) }

    @Override
    void afterAll(ExtensionContext context) { check(context.displayName) }

    static void check(String what) {
        long end = System.currentTimeMillis() + GRACE_MILLIS
        List<MarkedProcesses.Seen> left = MarkedProcesses.carrying(TestRun.VARIABLE, TestRun.ID)
        while (!left.isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(200L)
            left = MarkedProcesses.carrying(TestRun.VARIABLE, TestRun.ID)
        }
        if (!left.isEmpty()) {
            MarkedProcesses.killNow(TestRun.VARIABLE, TestRun.ID)
            fail(("${what} left ${left.size()} process(es) running " +
                    "(${TestRun.VARIABLE}=${TestRun.ID}; now killed):\n  " + left.join("\n  ")).toString())
        }
    }
}
