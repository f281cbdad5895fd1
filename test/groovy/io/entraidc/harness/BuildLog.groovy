package io.entraidc.harness

/**
 * The console log of one emulated build. Like Credentials Binding, it replaces every
 * value bound by withCredentials with **** in all output, including output of sh.
 */
class BuildLog {
    private final List<String> recorded = []
    private final List<String> output = []
    private final Deque<List<String>> secretFrames = new ArrayDeque<>()
    final boolean echoToStdout

    BuildLog(boolean echoToStdout) { this.echoToStdout = echoToStdout }

    /** A line the pipeline printed (echo, or output of sh). */
    synchronized void add(String text) {
        append(text, true)
    }

    /** A line Jenkins or a plugin prints about a step ("[Pipeline] sh", "Lock acquired ..."). */
    synchronized void addSystem(String text) {
        append(text, false)
    }

    private void append(String text, boolean fromPipeline) {
        for (String line : text.readLines()) {
            String masked = mask(line)
            recorded.add(masked)
            if (fromPipeline) {
                output.add(masked)
            }
            if (echoToStdout) {
                println masked
            }
        }
    }

    synchronized String mask(String text) {
        String result = text
        secretFrames.each { List<String> secrets ->
            secrets.findAll { it }.sort { -it.length() }.each { String secret ->
                result = result.replace(secret, '****')
            }
        }
        return result
    }

    synchronized void pushSecrets(List<String> secrets) { secretFrames.push(secrets) }

    synchronized void popSecrets() { secretFrames.pop() }

    synchronized List<String> getLines() { return new ArrayList<>(recorded) }

    /** Only what the pipeline code and its shells printed. */
    synchronized List<String> getOutputLines() { return new ArrayList<>(output) }

    synchronized String getText() { return recorded.join('\n') }
}
