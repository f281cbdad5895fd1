package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/** The harness's declarative interpreter, against Declarative Pipeline's documented semantics. */
class DeclarativeTest {
    static final File FIXTURE_LIB = new File(System.getProperty('entraidc.root', '.'), 'test/fixtures/harness-lib')
    static final File JENKINSFILE = new File(FIXTURE_LIB, 'Jenkinsfile.fixture')

    @Test
    void defaultsFillParamsWhenSkipsAndPostAlwaysRuns() {
        PipelineHarness h = new PipelineHarness(libraryRoot: FIXTURE_LIB)
        h.runJenkinsfile(JENKINSFILE)
        assertEquals([ACTION: 'rebuild', FAIL: false, WHO: 'lab'], h.params)
        assertEquals(['Build'], h.stages)
        assertEquals(['Only on setup'], h.skippedStages)
        assertEquals("@Library('harness-lib') _", h.libraryAnnotation)
        assertTrue(h.log.lines.contains('building for lab'), h.log.text)
        assertTrue(h.log.lines.contains('cleanup for REBUILD'), h.log.text)
        assertFalse(h.log.lines.contains('it failed'), h.log.text)
        assertEquals([[trigger: 'cron', spec: 'H 2 * * *']], h.declarativeModel.triggers)
        assertEquals(['timestamps', 'timeout', 'disableConcurrentBuilds'], h.declaredOptions*.option)
        assertEquals('SUCCESS', h.currentBuild.currentResult)
    }

    @Test
    void failedStageFailsBuildButPostStillRuns() {
        PipelineHarness h = new PipelineHarness(libraryRoot: FIXTURE_LIB)
        h.params = [ACTION: 'setup', FAIL: true]
        AbortException e = assertThrows(AbortException) { h.runJenkinsfile(JENKINSFILE) }
        assertEquals('injected failure', e.message)
        assertEquals('FAILURE', h.currentBuild.currentResult)
        assertEquals(['Build'], h.stages, 'the stage after the failed one must not run')
        assertEquals(['Only on setup'], h.skippedStages, 'skipped due to earlier failure, as Jenkins shows it')
        assertTrue(h.log.lines.contains('cleanup for SETUP'), h.log.text)
        assertTrue(h.log.lines.contains('it failed'), h.log.text)
    }

    /** ModelInterpreter.evaluateStage: a stage's when runs inside its options, so a stage timeout covers it. */
    @Test
    void whenIsEvaluatedInsideTheStagesOptions() {
        PipelineHarness h = new PipelineHarness()
        h.timeouts.graceMillis = 1000
        String script = """
pipeline {
    agent any
    stages {
        stage('Slow condition') {
            options { timeout(time: 1, unit: 'SECONDS') }
            when { expression { sleep(time: 3, unit: 'SECONDS'); return true } }
            steps { echo 'ran' }
        }
    }
}"""
        assertThrows(FlowInterruptedException) { h.runScript(script) }
        assertEquals('ABORTED', h.currentBuild.currentResult)
        assertFalse(h.log.lines.contains('ran'), h.log.text)
    }
}
