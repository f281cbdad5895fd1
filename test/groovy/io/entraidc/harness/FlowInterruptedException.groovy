package io.entraidc.harness

/** What a timeout raises in Jenkins (org.jenkinsci.plugins.workflow.steps.FlowInterruptedException). */
class FlowInterruptedException extends RuntimeException {
    FlowInterruptedException(String message) { super(message) }
}
