package io.entraidc.demo

import groovy.json.JsonSlurper

import java.util.concurrent.TimeUnit

/**
 * What the twin was answering when the demo ran out of time: the last lines of its request log
 * (twin.log in its state directory), the last error answers among its recent lines (a client
 * retrying with back-off is easily hidden by other clients' traffic), and its active fault rules
 * (./lab twin faults list). Each is read with a bound of its own, since a twin that stalls may not
 * answer either.
 */
class TwinActivity {
    static final int LOG_LINES = 12
    static final int ERROR_LINES = 6
    /** An answer of 400-599 in a request line: `"POST / HTTP/1.1" 400 -` (common log format, as the twin logs). */
    private static final java.util.regex.Pattern ERROR_ANSWER = ~/" [45]\d\d /
    private static final int TAIL_BYTES = 256 * 1024
    static final long ADMIN_TIMEOUT_SECONDS = 20

    final File log
    /** The active fault rules, as ./lab twin faults list gives them under "faults". */
    final Closure<List<Map>> faults

    TwinActivity(File log, Closure<List<Map>> faults) {
        this.log = log
        this.faults = faults
    }

    /** The twin ./lab twin starts: ENTRAIDC_TWIN_DIR, or its default (twin/core/paths.py). */
    static TwinActivity ofLabTwin(File root) {
        String dir = System.getenv('ENTRAIDC_TWIN_DIR') ?: "${System.getProperty('user.home')}/.cache/entra-idc/twin"
        return new TwinActivity(new File(dir, 'twin.log'), { activeFaults(root) })
    }

    /** The lines to print: the log's tail, then the rules (or why they could not be read). */
    List<String> describe() {
        List<String> recent = recentLines()
        List<String> lines = ["twin: the last ${LOG_LINES} lines of ${log}:".toString()]
        lines.addAll((recent.takeRight(LOG_LINES) ?: ['(no log)']).collect { '  ' + it })
        List<String> errors = recent.dropRight(LOG_LINES).findAll { ERROR_ANSWER.matcher(it).find() }.takeRight(ERROR_LINES)
        if (errors) {
            lines << "twin: its last error answers before those:".toString()
            lines.addAll(errors.collect { '  ' + it })
        }
        List<Map> rules
        try {
            rules = faults()
        } catch (Exception e) {
            lines << "twin: its fault rules could not be read (${e.message.readLines()[0]})".toString()
            return lines
        }
        lines << (rules ? 'twin: active fault rules:' : 'twin: no active fault rule')
        rules.each { Map r ->
            String left = r.count == null ? 'no count: every request' : "${r.count} more"
            lines << "  ${r.id} ${r.service} ${r.operation} ${r.kind}: fired ${r.fired}, ${left}".toString()
        }
        return lines
    }

    /** The log's last TAIL_BYTES, whole lines only. */
    List<String> recentLines() {
        if (!log.isFile()) {
            return []
        }
        RandomAccessFile file = new RandomAccessFile(log, 'r')
        try {
            long from = Math.max(0L, file.length() - TAIL_BYTES)
            byte[] bytes = new byte[(int) (file.length() - from)]
            file.seek(from)
            file.readFully(bytes)
            List<String> lines = new String(bytes, 'UTF-8').readLines()
            if (from > 0 && lines) {
                lines = lines.drop(1) // cut in the middle
            }
            return lines
        } finally {
            file.close()
        }
    }

    static List<Map> activeFaults(File root) {
        Process process = new ProcessBuilder(new File(root, 'lab').path, 'twin', 'faults', 'list')
                .directory(root).redirectErrorStream(false).start()
        process.outputStream.close()
        StringBuilder out = new StringBuilder()
        Thread reader = Thread.start { out.append(process.inputStream.text) }
        Thread.start { process.errorStream.text }
        if (!process.waitFor(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            throw new IllegalStateException("the twin did not answer ./lab twin faults list within ${ADMIN_TIMEOUT_SECONDS} s")
        }
        reader.join()
        if (process.exitValue() != 0) {
            throw new IllegalStateException("./lab twin faults list exited ${process.exitValue()}")
        }
        return (List<Map>) ((Map) new JsonSlurper().parseText(out.toString())).faults
    }
}
