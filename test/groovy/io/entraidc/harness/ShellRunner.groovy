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
     * {@code log} line by line, except stdout when {@code captureStdout} is set.
     */
    static Result run(String script, File dir, Map<String, String> environment, BuildLog log,
                      boolean captureStdout, Long deadlineMillis) {
        dir.mkdirs()
        File tmpDir = new File(dir.parentFile, dir.name + '@tmp')
        tmpDir.mkdirs()
        File scriptFile = File.createTempFile('durable-', '.sh', tmpDir)
        try {
            scriptFile.text = script
            List<String> command = script.startsWith('#!') ? [scriptFile.absolutePath] : ['sh', '-xe', scriptFile.absolutePath]
            scriptFile.setExecutable(true)
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir)
            builder.environment().clear()
            builder.environment().putAll(environment)
            if (!captureStdout) {
                builder.redirectErrorStream(true)
            }
            Process process = builder.start()
            process.outputStream.close()
            StringBuilder stdout = new StringBuilder()
            Thread stderrPump = null
            if (captureStdout) {
                stderrPump = Thread.start { process.errorStream.eachLine { log.add(it) } }
            }
            Thread stdoutPump = Thread.start {
                process.inputStream.eachLine { String line ->
                    if (captureStdout) {
                        stdout.append(line).append('\n')
                    } else {
                        log.add(line)
                    }
                }
            }
            boolean finished = deadlineMillis == null ? waitFully(process) :
                    process.waitFor(Math.max(1L, deadlineMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS)
            if (!finished) {
                process.descendants().forEach { ProcessHandle child -> child.destroyForcibly() }
                process.destroyForcibly()
                process.waitFor()
                stdoutPump.join()
                stderrPump?.join()
                throw new FlowInterruptedException('Timeout has been exceeded')
            }
            stdoutPump.join()
            stderrPump?.join()
            return new Result(status: process.exitValue(), stdout: stdout.toString())
        } finally {
            scriptFile.delete()
        }
    }

    private static boolean waitFully(Process process) {
        process.waitFor()
        return true
    }
}
