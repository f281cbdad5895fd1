package io.entraidc.harness

/**
 * The timeout blocks around the running code, as workflow-basic-steps' TimeoutStepExecution
 * handles them: when the time is up the body is cancelled ("Cancelling nested steps due to
 * timeout"; the running step is interrupted with FlowInterruptedException, result ABORTED);
 * code the body runs afterwards (finally blocks) gets a grace period (GRACE_PERIOD, 60 s), and
 * then whatever still runs is killed ("Body did not finish within grace period; terminating
 * with extreme prejudice").
 */
class Timeouts {
    static class Frame {
        long deadline
        Long graceEnd
    }

    long graceMillis = 60000L
    private final BuildLog log
    private final Deque<Frame> frames = new ArrayDeque<>()
    /** A test's way to make the time run out at a chosen step (see PipelineHarness.timeOutAt). */
    Closure<Boolean> expireAt
    /** Whether expireAt makes the outermost timeout run out (else the innermost). */
    boolean expireOutermost
    /** Set by abort until the running (or the next) step is interrupted. */
    private String abortedBy

    Timeouts(BuildLog log) { this.log = log }

    synchronized void push(long millis) {
        frames.push(new Frame(deadline: System.currentTimeMillis() + millis))
    }

    synchronized void pop() { frames.pop() }

    /**
     * The build is aborted, as Jenkins' Abort (Executor.interrupt) does: the step running now, or
     * the next one if none runs, is interrupted once with FlowInterruptedException (ABORTED); what
     * runs afterwards (finally blocks, post) runs as usual.
     */
    synchronized void abort(String cause) { abortedBy = cause }

    /** When the running step must be interrupted; Long.MAX_VALUE without a timeout. */
    synchronized long limit() {
        if (abortedBy != null) {
            return 0L
        }
        long limit = Long.MAX_VALUE
        for (Frame f : frames) {
            limit = Math.min(limit, f.graceEnd != null ? f.graceEnd : f.deadline)
        }
        return limit
    }

    /** Before a step starts: throws if its time is up. */
    synchronized void check(StepCall call) {
        if (expireAt != null && !frames.isEmpty() && expireAt(call)) {
            expireAt = null
            Frame chosen = expireOutermost ? frames.peekLast() : frames.peek()
            chosen.deadline = Math.min(chosen.deadline, System.currentTimeMillis() + 1000L)
        }
        if (System.currentTimeMillis() >= limit()) {
            throw expire()
        }
    }

    /** The time is up: marks the timeouts concerned and answers the exception for the running step. */
    synchronized FlowInterruptedException expire() {
        if (abortedBy != null) {
            String cause = abortedBy
            abortedBy = null
            log.addSystem("Aborted by ${cause}")
            return new FlowInterruptedException("Aborted by ${cause}")
        }
        long now = System.currentTimeMillis()
        for (Frame f : frames) {
            if (f.graceEnd != null && now >= f.graceEnd) {
                log.addSystem('Body did not finish within grace period; terminating with extreme prejudice')
                return new FlowInterruptedException('Timeout has been exceeded')
            }
        }
        for (Frame f : frames) {
            if (f.graceEnd == null && now >= f.deadline) {
                f.graceEnd = now + graceMillis
                log.addSystem('Cancelling nested steps due to timeout')
            }
        }
        return new FlowInterruptedException('Timeout has been exceeded')
    }
}
