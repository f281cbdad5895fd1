package io.entraidc.harness

import java.util.concurrent.TimeUnit

/** Runs an sh step for real, the way the durable-task plugin does: sh -xe on a script file. */
class ShellRunner {
    /** durable-task's FileMonitoringTask.COOKIE: set for each sh step, and how its processes are found. */
    static final String SERVER_COOKIE = 'JENKINS_SERVER_COOKIE'

    static class Result {
        int status
        String stdout
    }

    /**
     * Runs {@code script} in {@code dir} with exactly {@code environment}. Output goes to
     * {@code log} line by line, except stdout when {@code captureStdout} is set. When the
     * enclosing timeouts run out, the step is stopped as DurableTaskStep.Execution.stop does
     * ("Sending interrupt signal to process"): durable-task's FileMonitoringController.stop kills
     * every process carrying the step's JENKINS_SERVER_COOKIE (Jenkins core ProcessTree.killAll:
     * SIGTERM, SIGKILL after {@code softKillMillis}, SoftKillWaitSeconds), and the step ends with
     * FlowInterruptedException. With a {@code crash} plan that applies,
     * the step runs in a process group of its own and may be killed as an agent crash kills it
     * ({@link CrashPlan}); then it ends with {@link AgentCrash}.
     */
    static Result run(String script, File dir, Map<String, String> environment, BuildLog log,
                      boolean captureStdout, Timeouts timeouts, long softKillMillis, CrashPlan crash = null) {
        dir.mkdirs()
        File tmpDir = new File(dir.parentFile, dir.name + '@tmp')
        tmpDir.mkdirs()
        File scriptFile = File.createTempFile('durable-', '.sh', tmpDir)
        try {
            scriptFile.text = script
            List<String> command = script.startsWith('#!') ? [scriptFile.absolutePath] : ['sh', '-xe', scriptFile.absolutePath]
            scriptFile.setExecutable(true)
            if (crash != null) {
                command = ['setsid'] + command
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir)
            builder.environment().clear()
            builder.environment().putAll(environment)
            // durable-task's FileMonitoringTask: each step's processes carry a cookie of their own.
            String cookie = 'durable-' + UUID.randomUUID().toString().replace('-', '')
            builder.environment().put(SERVER_COOKIE, cookie)
            builder.environment().put(TestRun.VARIABLE, TestRun.ID)
            if (!captureStdout) {
                builder.redirectErrorStream(true)
            }
            // Where the watched file ends before the step starts: a line the step writes at once
            // must count, however quickly it comes (taken after start, it raced the step).
            long watchedFrom = crash?.watchedFile?.exists() ? crash.watchedFile.length() : 0L
            Process process = builder.start()
            process.outputStream.close()
            CrashPlan.Watch watch = crash?.watch(process, cookie, log, watchedFrom)
            StringBuilder stdout = new StringBuilder()
            Thread stderrPump = null
            if (captureStdout) {
                stderrPump = Thread.start { process.errorStream.eachLine { log.add(it); watch?.onOutput(it) } }
            }
            Thread stdoutPump = Thread.start {
                process.inputStream.eachLine { String line ->
                    if (captureStdout) {
                        stdout.append(line).append('\n')
                    } else {
                        log.add(line)
                    }
                    watch?.onOutput(line)
                }
            }
            while (!process.waitFor(Math.max(1L, Math.min(timeouts.limit() - System.currentTimeMillis(), 200L)),
                    TimeUnit.MILLISECONDS)) {
                if (System.currentTimeMillis() >= timeouts.limit()) {
                    FlowInterruptedException interruption = timeouts.expire()
                    log.addSystem('Sending interrupt signal to process')
                    stop(process, cookie, softKillMillis)
                    stdoutPump.join()
                    stderrPump?.join()
                    throw interruption
                }
            }
            stdoutPump.join()
            stderrPump?.join()
            watch?.stop()
            if (watch?.fired) {
                throw new AgentCrash("the agent crashed while sh ran (on: ${crash.firedOn})")
            }
            return new Result(status: process.exitValue(), stdout: stdout.toString())
        } finally {
            scriptFile.delete()
        }
    }

    /**
     * SIGTERM to every process carrying the step's cookie (and to the script's descendants, in case
     * one cleared its environment), SIGKILL to what is left after {@code softKillMillis}.
     */
    static void stop(Process process, String cookie, long softKillMillis) {
        List<ProcessHandle> tree = [process.toHandle()] + process.descendants().collect { it }
        MarkedProcesses.killAll(SERVER_COOKIE, cookie, softKillMillis, tree)
        process.waitFor()
    }
}
