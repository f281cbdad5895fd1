package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * Steps that need a workspace fail outside node / agent with workflow-step-api's
 * MissingContextVariableException (DurableTaskStep.DescriptorImpl.getRequiredContext in
 * workflow-durable-task-step-plugin lists FilePath, EnvVars, Launcher, TaskListener), and a step
 * sees the agent's environment plus the build's variables, never the test process's.
 */
class NodeContextTest {
    @Test
    void shOutsideANodeFailsAsInJenkins() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        MissingContextVariableException e = assertThrows(MissingContextVariableException) { h.runScript("sh 'true'") }
        assertEquals('Required context class hudson.FilePath is missing', e.message)
        assertTrue(h.log.lines.contains('Perhaps you forgot to surround the code with a step that provides this, such as: node'))
        PipelineHarness fresh = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        assertEquals('inside', fresh.runScript("echo 'outside is fine'\nnode { return sh(script: 'echo inside', returnStdout: true).trim() }"))
    }

    @Test
    void declarativeAgentNoneGivesNoWorkspace() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        assertThrows(MissingContextVariableException) {
            h.runScript("pipeline { agent none\n stages { stage('s') { steps { sh 'true' } } } }")
        }
        assertEquals('FAILURE', h.currentBuild.currentResult)
    }

    @Test
    void shSeesTheAgentsEnvironmentNotTheTestProcesses() {
        String leaked = System.getenv().keySet().find { !(it in Agent.defaultEnvironment().keySet()) }
        assertNotNull(leaked, 'the test process has some variable of its own')
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB, jobName: 'lab')
        String seen = h.runScript("node { return sh(script: 'env', returnStdout: true) }")
        Map<String, String> env = seen.readLines().findAll { it.contains('=') }.collectEntries {
            [(it.substring(0, it.indexOf('='))): it.substring(it.indexOf('=') + 1)]
        }
        assertFalse(env.containsKey(leaked), "the step saw the test process's ${leaked}")
        assertEquals(Agent.defaultEnvironment().PATH, env.PATH)
        assertEquals(h.workspace.path, env.WORKSPACE)
        assertEquals('lab', env.JOB_NAME)
        assertEquals(h.agent.name, env.NODE_NAME)
    }
}
