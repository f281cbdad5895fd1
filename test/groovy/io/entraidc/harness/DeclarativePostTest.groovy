package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * post and Restart from Stage as pipeline-model-definition runs them: the conditions in
 * BuildCondition order (model/conditions/*.groovy, by @Extension ordinal), each decided by its
 * meetsCondition; post also after a failure before the stages (the lock's wait, the agent), then
 * outside the agent and the wrappers (ModelInterpreter.call); a restart skips the stages before
 * the named one (ModelInterpreter.evaluateSequentialStages) unless disableRestartFromStage
 * forbids it (RestartDeclarativePipelineAction.doRestart).
 */
class DeclarativePostTest {
    static final List<String> ALL = ['always', 'changed', 'fixed', 'regression', 'aborted', 'success', 'unsuccessful',
                                     'unstable', 'failure', 'notBuilt', 'cleanup']

    static String pipeline(String options, boolean fail) {
        // The conditions in a scrambled order: the harness must run them in Jenkins' order, not the file's.
        String post = ALL.reverse().collect { "        ${it} { echo 'post ${it}' }" }.join('\n')
        return """
pipeline {
    agent any
    options { ${options} }
    stages {
        stage('First') { steps { echo 'first ran' } }
        stage('Second') { steps { script { if (${fail}) { error('broken') } } } }
    }
    post {
${post}
    }
}"""
    }

    static List<String> postRun(PipelineHarness h) {
        return h.log.lines.findAll { it.startsWith('post ') }.collect { it - 'post ' }
    }

    @Test
    void conditionsRunInBuildConditionOrderEachByItsOwnRule() {
        PipelineHarness failed = new PipelineHarness()
        failed.currentBuild.previousResult = 'SUCCESS'
        assertThrows(AbortException) { failed.runScript(pipeline('timestamps()', true)) }
        assertEquals(['always', 'changed', 'regression', 'unsuccessful', 'failure', 'cleanup'], postRun(failed), failed.log.text)

        PipelineHarness fixed = new PipelineHarness()
        fixed.currentBuild.previousResult = 'UNSTABLE'
        fixed.runScript(pipeline('timestamps()', false))
        assertEquals(['always', 'changed', 'fixed', 'success', 'cleanup'], postRun(fixed), fixed.log.text)

        PipelineHarness first = new PipelineHarness()
        first.runScript(pipeline('timestamps()', false))
        assertEquals(['always', 'changed', 'success', 'cleanup'], postRun(first), 'a first build has changed, never fixed')
    }

    @Test
    void postRunsOutsideTheAgentAndTheLockWhenTheLockWaitFails() {
        PipelineHarness holder = new PipelineHarness()
        holder.lockRegistry.acquire('tenant', holder, holder.timeouts)
        PipelineHarness h = holder.concurrentBuild()
        String script = pipeline("timeout(time: 2, unit: 'SECONDS')\n lock('tenant')", false)
                .replace("echo 'post always'", "echo 'post always'; script { pwd() }")
        assertThrows(FlowInterruptedException) { h.runScript(script) }
        assertEquals('ABORTED', h.currentBuild.currentResult)
        assertFalse(h.log.lines.contains('first ran'), h.log.text)
        assertTrue(postRun(h).containsAll(['always', 'aborted', 'cleanup']), h.log.text)
        // Outside the agent: a workspace step in post meets no node, as in Jenkins.
        assertTrue(h.log.lines.contains('hudson.FilePath'.with { "${MissingContextVariableException.name}: Required context class ${it} is missing".toString() }), h.log.text)
        holder.lockRegistry.release('tenant', holder)
    }

    @Test
    void aRestartSkipsTheStagesBeforeItsStageUnlessTheJobDisablesIt() {
        PipelineHarness restarted = new PipelineHarness()
        restarted.restartFromStage = 'Second'
        restarted.runScript(pipeline('timestamps()', false))
        assertTrue(restarted.log.lines.contains('Stage "First" skipped due to this build restarting at stage "Second"'), restarted.log.text)
        assertFalse(restarted.log.lines.contains('first ran'))

        PipelineHarness refused = new PipelineHarness()
        refused.restartFromStage = 'Second'
        AbortException e = assertThrows(AbortException) { refused.runScript(pipeline('disableRestartFromStage()', false)) }
        assertEquals('not allowed to restart', e.message)
        assertEquals([], postRun(refused), 'no build runs at all')
    }
}
