package io.entraidc

import com.cloudbees.groovy.cps.NonCPS

/**
 * Renders the log of one entra step: every line under a label "step › phase › account",
 * each phase opened and closed with its elapsed time, and failures that name the phase,
 * the account and what to do next. It also keeps the phases as events (name, account, start,
 * duration, result) for the lifecycle report: plain maps of strings and numbers, so that the
 * program state stays Serializable.
 */
class StageLog implements Serializable {
    static final String ALL_ACCOUNTS = 'all'

    private final def steps
    final String step
    private final Map<String, Long> started = [:]
    /** One map per phase opened: phase, account, startMillis, durationMillis, result (running, passed, failed). */
    final List<Map<String, Object>> events = []

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
        long now = System.currentTimeMillis()
        started[key(phase, account)] = now
        events << [phase: phase, account: account ?: ALL_ACCOUNTS, startMillis: now, durationMillis: null, result: 'running']
        line(phase, account, 'started')
    }

    void close(String phase, String account) {
        finish(phase, account, account, 'passed', null)
        line(phase, account, "finished in ${elapsed(phase, account)}")
    }

    /** A phase opened under {@code account} failed in {@code failedAccount} (the line's label). */
    void fail(String phase, String account, String failedAccount, String message, String nextStep) {
        finish(phase, account, failedAccount, 'failed', message)
        line(phase, failedAccount, "FAILED after ${elapsed(phase, account)}: ${message}")
        line(phase, failedAccount, "next: ${nextStep}")
    }

    /** The events, with phases still running (a timeout or an abort stopped them) marked interrupted. */
    @NonCPS
    List<Map<String, Object>> timeline() {
        long now = System.currentTimeMillis()
        return events.collect { Map<String, Object> event ->
            event.result == 'running' ? event + [result: 'interrupted', durationMillis: now - (long) event.startMillis] : event
        }
    }

    @NonCPS
    private void finish(String phase, String account, String failedAccount, String result, String message) {
        String opened = account ?: ALL_ACCOUNTS
        Map<String, Object> event = events.reverse().find { it.phase == phase && it.account == opened && it.result == 'running' }
        if (event != null) {
            event.durationMillis = System.currentTimeMillis() - (long) event.startMillis
            event.result = result
            if (failedAccount && failedAccount != opened) {
                event.failedAccount = failedAccount
            }
            if (message) {
                event.message = message
            }
        }
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
