package io.entraidc.harness

/** What hudson.AbortException is in Jenkins: a step failure with a message and no stack trace. */
class AbortException extends RuntimeException {
    AbortException(String message) { super(message) }
}
