package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource

import static org.junit.jupiter.api.Assertions.*

/** Bad parameters fail at once, name the input and the valid ones, and no sh step runs. */
class StepParametersTest {
    static final File ROOT = new File(System.getProperty('entraidc.root', '.')).canonicalFile

    private static IllegalArgumentException failOf(PipelineHarness h, String step, Map args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException) { h.runStep(step, args) }
        assertEquals([], h.stepCalls.findAll { it.step == 'sh' }, 'a shell ran before validation')
        return e
    }

    @ParameterizedTest
    @ValueSource(strings = ['entraSamlSetup', 'entraScimEnable', 'entraTeardown'])
    void unknownParameterIsNamedWithTheValidOnes(String step) {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT)
        IllegalArgumentException e = failOf(h, step, [partition: 'aws-govcloud'])
        assertTrue(e.message.contains("unknown parameter 'partition'"), e.message)
        assertTrue(e.message.contains('partitions (List, default [aws-commercial, aws-govcloud])'), e.message)
    }

    @Test
    void illTypedAndOutOfRangeValuesAreAllReported() {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT)
        IllegalArgumentException e = failOf(h, 'entraScimEnable',
                [abac: 'yes', partitions: ['aws-gov'], stateBackend: 's3', workDir: '../outside'])
        assertTrue(e.message.contains("parameter 'abac' must be a Boolean, not String (yes)"), e.message)
        assertTrue(e.message.contains("parameter 'partitions' must name one or more of [aws-commercial, aws-govcloud], not [aws-gov]"), e.message)
        assertTrue(e.message.contains("parameter 'stateBucket' is required with stateBackend 's3'"), e.message)
        assertTrue(e.message.contains("parameter 'workDir' must be a relative path inside the workspace"), e.message)
    }

    @Test
    void stepSpecificParameterIsRefusedElsewhere() {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT)
        IllegalArgumentException e = failOf(h, 'entraTeardown', [abac: true])
        assertTrue(e.message.contains("unknown parameter 'abac'"), e.message)
    }
}
