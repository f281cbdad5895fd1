package io.entraidc.harness

/**
 * The console log of one emulated build. Like Credentials Binding, it replaces every
 * value bound by withCredentials with **** in all output, including output of sh.
 */
class BuildLog {
    private final List<String> recorded = []
    private final Deque<List<String>> secretFrames = new ArrayDeque<>()
    final boolean echoToStdout

    BuildLog(boolean echoToStdout) { this.echoToStdout = echoToStdout }

    synchronized void add(String text) {
        for (String line : text.readLines()) {
            String masked = mask(line)
            recorded.add(masked)
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

    synchronized String getText() { return recorded.join('\n') }
}
