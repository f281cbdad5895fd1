package io.entraidc.harness

import java.util.concurrent.TimeUnit

/** Runs an sh step for real, the way the durable-task plugin does: sh -xe on a script file. */
class ShellRunner {
    static class Result {
        int status
        String stdout
    }

    /**
     * Runs {@code script} in {@code dir} with exactly {@code environment}. Output goes to
     * {@code log} line by line, except stdout when {@code captureStdout} is set. When the
     * enclosing timeouts run out, the step is stopped as DurableTaskStep.Execution.stop does
     * ("Sending interrupt signal to process"): SIGTERM to the script and every process it
     * started, SIGKILL after {@code softKillMillis} (Jenkins core ProcessTree, SoftKillWaitSeconds),
     * and the step ends with FlowInterruptedException. With a {@code crash} plan that applies,
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
            if (!captureStdout) {
                builder.redirectErrorStream(true)
            }
            // Where the watched file ends before the step starts: a line the step writes at once
            // must count, however quickly it comes (taken after start, it raced the step).
            long watchedFrom = crash?.watchedFile?.exists() ? crash.watchedFile.length() : 0L
            Process process = builder.start()
            process.outputStream.close()
            CrashPlan.Watch watch = crash?.watch(process, log, watchedFrom)
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
                    stop(process, softKillMillis)
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

    /** SIGTERM to the process tree, SIGKILL to what is left after {@code softKillMillis}. */
    static void stop(Process process, long softKillMillis) {
        List<ProcessHandle> tree = [process.toHandle()] + process.descendants().collect { it }
        tree.each { it.destroy() }
        long end = System.currentTimeMillis() + softKillMillis
        for (ProcessHandle p : tree) {
            long left = end - System.currentTimeMillis()
            if (left > 0) {
                try {
                    p.onExit().get(left, TimeUnit.MILLISECONDS)
                } catch (java.util.concurrent.TimeoutException ignored) {
                    // SIGKILL below
                }
            }
        }
        tree.findAll { it.alive }.each { it.destroyForcibly() }
        process.waitFor()
    }
}
