package io.entraidc

import com.cloudbees.groovy.cps.NonCPS

/**
 * Renders the log of one entra step: every line under a label "step › phase › account",
 * each phase opened and closed with its elapsed time, and failures that name the phase,
 * the account and what to do next.
 */
class StageLog implements Serializable {
    static final String ALL_ACCOUNTS = 'all'

    private final def steps
    final String step
    private final Map<String, Long> started = [:]

    StageLog(def steps, String step) {
        this.steps = steps
        this.step = step
    }

    @NonCPS
    String label(String phase, String account) {
        return "[${step} › ${phase} › ${account ?: ALL_ACCOUNTS}]"
    }

    void line(String phase, String account, String text) {
        steps.echo("${label(phase, account)} ${text}")
    }

    void open(String phase, String account) {
        started[key(phase, account)] = System.currentTimeMillis()
        line(phase, account, 'started')
    }

    void close(String phase, String account) {
        line(phase, account, "finished in ${elapsed(phase, account)}")
    }

    /** A phase opened under {@code account} failed in {@code failedAccount} (the line's label). */
    void fail(String phase, String account, String failedAccount, String message, String nextStep) {
        line(phase, failedAccount, "FAILED after ${elapsed(phase, account)}: ${message}")
        line(phase, failedAccount, "next: ${nextStep}")
    }

    @NonCPS
    String elapsed(String phase, String account) {
        Long start = started[key(phase, account)]
        long millis = start == null ? 0L : System.currentTimeMillis() - start
        return String.format(Locale.ROOT, '%.1f s', millis / 1000.0d)
    }

    @NonCPS
    private static String key(String phase, String account) {
        return "${phase}/${account ?: ALL_ACCOUNTS}".toString()
    }
}
