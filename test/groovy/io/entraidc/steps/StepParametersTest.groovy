package io.entraidc.steps

import io.entraidc.harness.AbortException
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource

import static org.junit.jupiter.api.Assertions.*

/** Bad parameters fail at once, name the input and the valid ones, and no sh step runs. */
class StepParametersTest {
    static final File ROOT = new File(System.getProperty('entraidc.root', '.')).canonicalFile

    /** Jenkins prints an `error` step's message alone; any other exception comes with its stack trace. */
    private static AbortException failOf(PipelineHarness h, String step, Map args) {
        AbortException e = assertThrows(AbortException) { h.runStep(step, args) }
        assertEquals([e.message], h.stepCalls.findAll { it.step == 'error' }*.args, 'not ended by the error step')
        assertEquals([], h.stepCalls.findAll { it.step == 'sh' }, 'a shell ran before validation')
        return e
    }

    @ParameterizedTest
    @ValueSource(strings = ['entraSamlSetup', 'entraScimEnable', 'entraTeardown'])
    void unknownParameterIsNamedWithTheValidOnes(String step) {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT)
        AbortException e = failOf(h, step, [partition: 'aws-govcloud'])
        assertTrue(e.message.contains("unknown parameter 'partition'"), e.message)
        assertTrue(e.message.contains('partitions (List, default [aws-commercial, aws-govcloud])'), e.message)
    }

    @Test
    void illTypedAndOutOfRangeValuesAreAllReported() {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT)
        AbortException e = failOf(h, 'entraScimEnable',
                [abac: 'yes', partitions: ['aws-gov'], stateBackend: 's3', workDir: '../outside'])
        assertTrue(e.message.contains("parameter 'abac' must be a Boolean, not String (yes)"), e.message)
        assertTrue(e.message.contains("parameter 'partitions' must name one or more of [aws-commercial, aws-govcloud], not [aws-gov]"), e.message)
        assertTrue(e.message.contains("parameter 'stateBucket' is required with stateBackend 's3'"), e.message)
        assertTrue(e.message.contains("parameter 'workDir' must be a relative path inside the workspace"), e.message)
    }

    @Test
    void stepSpecificParameterIsRefusedElsewhere() {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT)
        AbortException e = failOf(h, 'entraTeardown', [abac: true])
        assertTrue(e.message.contains("unknown parameter 'abac'"), e.message)
    }

    @Test
    void nullParametersAreNamedWithTheirTypeAndDefault() {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT)
        // What `planOnly: params.PLAN_ONLY` passes when the job does not declare PLAN_ONLY.
        AbortException e = failOf(h, 'entraSamlSetup', [planOnly: null, workDir: null, partitions: null])
        assertTrue(e.message.contains("parameter 'planOnly' is null (an undeclared job parameter?): give a Boolean or leave it out for the default false"), e.message)
        assertTrue(e.message.contains("parameter 'workDir' is null"), e.message)
        assertTrue(e.message.contains("parameter 'partitions' is null"), e.message)
    }

    @Test
    void anAgentWithoutHomeOrCacheIsRefusedRatherThanUsingNullAsAPath() {
        PipelineHarness h = StepResultsTest.harness()
        h.baseEnvironment.remove('ENTRAIDC_AGENT_CACHE')
        h.baseEnvironment.remove('HOME')
        AbortException e = assertThrows(AbortException) { h.runStep('entraTeardown', [planOnly: true]) }
        assertTrue(e.message.contains('the agent has neither ENTRAIDC_AGENT_CACHE nor HOME set'), e.message)
        assertEquals([], h.stepCalls.findAll { it.step == 'sh' }, 'a shell ran')
        assertFalse(new File(h.workspace, 'null').exists())
    }
}
