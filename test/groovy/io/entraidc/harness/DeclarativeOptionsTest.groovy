package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * Declarative options as pipeline-model-definition applies them (ModelInterpreter.groovy: the
 * pipeline's option wrappers wrap the stages and post, inside the agent; ModelValidatorImpl checks
 * the options before the build runs), with the timeout semantics of workflow-basic-steps'
 * TimeoutStepExecution.java (cancel, grace period, ABORTED) and of stopping a durable task
 * (workflow-durable-task-step DurableTaskStep.Execution.stop; Jenkins core ProcessTree: SIGTERM,
 * SIGKILL after SoftKillWaitSeconds).
 */
class DeclarativeOptionsTest {
    static PipelineHarness harness() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        h.timeouts.graceMillis = 1500
        h.softKillMillis = 1000
        return h
    }

    static String pipeline(String options, String stageSteps, String post) {
        return """
            pipeline {
                agent any
                options { ${options} }
                stages { stage('work') { steps { ${stageSteps} } } }
                post { ${post} }
            }
        """
    }

    @Test
    void aPipelineTimeoutEndsTheBuildAbortedAndAlsoCutsPostShort() {
        PipelineHarness h = harness()
        String text = pipeline("timestamps()\ntimeout(time: 2, unit: 'SECONDS')", "sh 'sleep 30'",
                "always { sh 'sleep 20; echo teardown complete' }\naborted { echo 'post aborted' }\nfailure { echo 'post failure' }")
        long started = System.currentTimeMillis()
        FlowInterruptedException e = assertThrows(FlowInterruptedException) { h.runScript(text) }
        assertEquals('Timeout has been exceeded', e.message)
        assertEquals('ABORTED', h.currentBuild.currentResult)
        // always first, then by result: aborted, not failure (both after the grace period, so killed too).
        assertTrue(h.log.lines.contains('Post stage: aborted'), h.log.text)
        assertFalse(h.log.lines.contains('Post stage: failure'), h.log.text)
        assertFalse(h.log.lines.contains('teardown complete'), 'post ran inside the timeout, so it was cut short')
        assertTrue(h.log.lines.contains('Body did not finish within grace period; terminating with extreme prejudice'), h.log.text)
        assertTrue(System.currentTimeMillis() - started < 15000)
    }

    @Test
    void aStageTimeoutLeavesPostItsOwnTime() {
        PipelineHarness h = harness()
        String text = """
            pipeline {
                agent any
                stages { stage('work') { options { timeout(time: 1, unit: 'SECONDS') }
                                         steps { sh 'sleep 30' } } }
                post { always { sh 'sleep 3; echo teardown complete' } }
            }
        """
        assertThrows(FlowInterruptedException) { h.runScript(text) }
        assertEquals('ABORTED', h.currentBuild.currentResult)
        assertTrue(h.log.lines.contains('teardown complete'), h.log.text)
    }

    @Test
    void theRunningProcessGetsSigtermThenSigkill() {
        PipelineHarness h = harness()
        File marker = new File(h.workspace, 'signals.txt')
        String text = pipeline("timeout(time: 1, unit: 'SECONDS')",
                "sh '''trap 'echo TERM >> signals.txt' TERM; while true; do sleep 0.1; done'''", "always { echo 'done' }")
        long started = System.currentTimeMillis()
        assertThrows(FlowInterruptedException) { h.runScript(text) }
        assertEquals('TERM', marker.text.trim(), 'SIGTERM first (the script ignored it)')
        assertTrue(h.log.lines.contains('Sending interrupt signal to process'), h.log.text)
        assertTrue(System.currentTimeMillis() - started < 10000, 'then SIGKILL after the soft-kill wait')
    }

    @Test
    void aTimeoutInterruptsAnyRunningStepNotOnlyAShell() {
        PipelineHarness h = harness()
        long started = System.currentTimeMillis()
        assertThrows(FlowInterruptedException) { h.runScript("timeout(time: 1, unit: 'SECONDS') { sleep(time: 30, unit: 'SECONDS') }") }
        assertTrue(System.currentTimeMillis() - started < 5000)
    }

    @Test
    void jobPropertiesAreRecordedAndCheckedBeforeAnythingRuns() {
        PipelineHarness ok = harness()
        ok.runScript(pipeline("disableConcurrentBuilds()\nbuildDiscarder(logRotator(numToKeepStr: '30'))", "echo 'ran'", ''))
        assertEquals(['disableConcurrentBuilds', 'buildDiscarder'], ok.declaredOptions*.option)

        PipelineHarness typo = harness()
        DeclarativeValidationError e = assertThrows(DeclarativeValidationError) {
            typo.runScript(pipeline("buildDiscarder(logRotator(numToKeep: '30'))", "echo 'ran'", ''))
        }
        assertTrue(e.message.contains('Invalid parameter "numToKeep", did you mean "numToKeepStr"?'), e.message)
        assertFalse(typo.log.lines.contains('ran'))

        DeclarativeValidationError type = assertThrows(DeclarativeValidationError) {
            harness().runScript(pipeline("timeout(time: '3 hours')", "echo 'ran'", ''))
        }
        assertTrue(type.message.contains('Expecting "int" for parameter "time" but got "3 hours"'), type.message)

        DeclarativeValidationError stage = assertThrows(DeclarativeValidationError) {
            harness().runScript("pipeline { agent any\n stages { stage('s') { options { disableConcurrentBuilds() }\n steps { echo 'x' } } } }")
        }
        assertTrue(stage.message.contains('Invalid option type "disableConcurrentBuilds"'), stage.message)
    }

    /** pipeline-model-definition options/impl: each option's @Symbol, and canUseInStage (checkoutToSubdirectory yes, quietPeriod no). */
    @Test
    void everyDeclarativeOptionOfPipelineModelDefinitionIsAccepted() {
        PipelineHarness h = harness()
        h.runScript(pipeline("disableRestartFromStage()\nparallelsAlwaysFailFast()\nquietPeriod(30)\ncheckoutToSubdirectory('src')\n" +
                "skipStagesAfterUnstable()\nskipDefaultCheckout()", "echo 'ran'", ''))
        assertEquals(['disableRestartFromStage', 'parallelsAlwaysFailFast', 'quietPeriod', 'checkoutToSubdirectory',
                      'skipStagesAfterUnstable', 'skipDefaultCheckout'], h.declaredOptions*.option)
        harness().runScript("pipeline { agent any\n stages { stage('s') { options { checkoutToSubdirectory('src') }\n steps { echo 'x' } } } }")
        DeclarativeValidationError e = assertThrows(DeclarativeValidationError) {
            harness().runScript("pipeline { agent any\n stages { stage('s') { options { quietPeriod(30) }\n steps { echo 'x' } } } }")
        }
        assertTrue(e.message.contains('Invalid option type "quietPeriod"'), e.message)
    }
}
