package io.entraidc.demo

import io.entraidc.harness.PipelineHarness

/**
 * The demo's time limit. When the rebuild runs past it, the watchdog prints where the build was
 * and what the twin was answering, and aborts the build as Jenkins' Abort does: the running step
 * is interrupted, writes its lifecycle report, and the lab job's post section runs entraTeardown
 * (already tearing down: it goes on). A teardown still running after the teardown limit is
 * aborted too, and the demo's inventory check then shows what was left.
 */
class DemoWatchdog {
    private final PipelineHarness build
    private final DemoLimits limits
    private final TwinActivity twin
    private final PrintStream out
    private Thread thread
    /** Set when the rebuild ran out of time: the lines printed then, repeated in the summary. */
    volatile List<String> expiry
    volatile boolean teardownStopped

    DemoWatchdog(PipelineHarness build, DemoLimits limits, TwinActivity twin, PrintStream out) {
        this.build = build
        this.limits = limits
        this.twin = twin
        this.out = out
    }

    void start() {
        thread = Thread.startDaemon('lab-demo-time-limit') { watch() }
    }

    /** The build ended: no abort may come after this. */
    void stop() {
        thread.interrupt()
        thread.join()
    }

    boolean isExpired() { return expiry != null }

    private void watch() {
        if (!sleep(limits.rebuildMillis)) {
            return
        }
        BuildPosition position = BuildPosition.of(build)
        String limit = DemoLimits.describe(limits.rebuildMillis)
        List<String> lines = ["lab demo: TIME LIMIT: the rebuild ran out of its ${limit} in ${position}".toString()]
        lines.addAll(twin.describe())
        lines << (position.tearingDown
                ? "lab demo: already tearing down; it may take up to ${DemoLimits.describe(limits.teardownMillis)} more".toString()
                : "lab demo: aborting the build; the lab job's post section tears down (up to ${DemoLimits.describe(limits.teardownMillis)})".toString())
        expiry = lines
        lines.each { out.println(it) }
        if (!position.tearingDown) {
            build.abort("the demo's time limit (${limit})")
        }
        if (!sleep(limits.teardownMillis)) {
            return
        }
        teardownStopped = true
        out.println("lab demo: TIME LIMIT: the teardown did not end within ${DemoLimits.describe(limits.teardownMillis)} " +
                "in ${BuildPosition.of(build)}; aborting it (what it left is listed below)")
        build.abort("the demo's teardown time limit (${DemoLimits.describe(limits.teardownMillis)})")
    }

    /** False when the build ended first (stop). */
    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis)
            return true
        } catch (InterruptedException ignored) {
            return false
        }
    }
}
