package io.entraidc.harness

/**
 * What a timeout or an abort raises in Jenkins (org.jenkinsci.plugins.workflow.steps.FlowInterruptedException):
 * it carries the build result (ABORTED), which Declarative and workflow-cps give the build.
 */
class FlowInterruptedException extends RuntimeException {
    final String result

    FlowInterruptedException(String message, String result = 'ABORTED') {
        super(message)
        this.result = result
    }
}
