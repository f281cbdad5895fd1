package io.entraidc.harness

import java.util.concurrent.TimeUnit
import java.util.regex.Pattern

/**
 * When the harness crashes the agent: the first time a line matching {@link #line} appears in
 * the output of a running sh step, or in {@link #watchedFile} (e.g. the twin's request log:
 * the twin's server writes one line per request, so a line means the service received that operation),
 * every process of that step gets SIGKILL at once, {@link #afterMillis} later — what an agent or
 * its machine crashing leaves (nothing gets SIGTERM, nothing cleans up). {@link #label}, when
 * set, limits the plan to sh steps whose label matches (watching a file while another step runs
 * would kill the wrong one).
 *
 * The step runs in a process group of its own (setsid), and the kill is kill(2) on that group
 * plus every descendant seen before it (in case one left the group): as a crash, it reaches
 * every process together, so no parent sees its child die and reacts. Then every process that
 * still carries the step's cookie (ShellRunner.SERVER_COOKIE; one that left the group, or was
 * forked in that instant) gets SIGKILL too, so the crash leaves nothing of the step running.
 */
class CrashPlan {
    Pattern line
    File watchedFile
    Pattern label
    long afterMillis = 0L
    /** What matched, once the crash fired. */
    volatile String firedOn

    boolean appliesTo(String shLabel) {
        return firedOn == null && (label == null || (shLabel != null && label.matcher(shLabel).find()))
    }

    /**
     * Arms the plan around one running sh step, following the watched file from {@code watchedFrom}
     * (its length before the step started); answers the watcher to stop when the step ends.
     */
    Watch watch(Process process, String cookie, BuildLog log, long watchedFrom) {
        return new Watch(this, process, cookie, log, watchedFrom)
    }

    static class Watch {
        private final CrashPlan plan
        private final Process process
        private final String cookie
        private final BuildLog log
        private final long offset
        private volatile boolean stopped
        private Thread fileWatcher

        Watch(CrashPlan plan, Process process, String cookie, BuildLog log, long watchedFrom) {
            this.plan = plan
            this.process = process
            this.cookie = cookie
            this.log = log
            this.offset = watchedFrom
            if (plan.watchedFile != null) {
                fileWatcher = Thread.start { followFile() }
            }
        }

        /** A line of the step's output (called by the output pumps before the line is logged). */
        void onOutput(String text) {
            if (plan.line != null && plan.line.matcher(text).find()) {
                fire(text)
            }
        }

        boolean getFired() { return plan.firedOn != null }

        void stop() {
            stopped = true
            fileWatcher?.join()
        }

        private void followFile() {
            long position = offset
            String partial = ''
            while (!stopped && plan.firedOn == null) {
                long length = plan.watchedFile.length()
                if (length > position) {
                    RandomAccessFile file = new RandomAccessFile(plan.watchedFile, 'r')
                    try {
                        file.seek(position)
                        byte[] bytes = new byte[(int) (length - position)]
                        file.readFully(bytes)
                        position = length
                        partial += new String(bytes, 'UTF-8')
                    } finally {
                        file.close()
                    }
                    int newline
                    while ((newline = partial.indexOf('\n')) >= 0) {
                        String text = partial.substring(0, newline)
                        partial = partial.substring(newline + 1)
                        if (plan.line.matcher(text).find()) {
                            fire(text)
                            return
                        }
                    }
                }
                Thread.sleep(20L)
            }
        }

        private synchronized void fire(String matched) {
            if (plan.firedOn != null) {
                return
            }
            plan.firedOn = matched
            if (plan.afterMillis > 0) {
                Thread.sleep(plan.afterMillis)
            }
            List<ProcessHandle> seen = [process.toHandle()] + process.descendants().collect { it }
            new ProcessBuilder('kill', '-KILL', '--', "-${process.pid()}".toString()).inheritIO().start()
                    .waitFor(10, TimeUnit.SECONDS)
            List<MarkedProcesses.Seen> outside = MarkedProcesses.killNow(ShellRunner.SERVER_COOKIE, cookie, seen)
            int killed = seen.size() + outside.count { s -> !seen.any { it.pid() == s.pid } }
            log.addSystem("harness: agent crash (SIGKILL to the step's ${killed} processes) on: ${matched}")
        }
    }
}
