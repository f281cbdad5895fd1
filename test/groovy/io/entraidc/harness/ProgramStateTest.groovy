package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The program is saved at every step boundary as Jenkins saves it (workflow-cps
 * CpsThreadGroup.saveProgram; loops get serializable iterators from persistence/IteratorHack.java):
 * a local that is not Serializable, held across a step, fails with java.io.NotSerializableException.
 */
class ProgramStateTest {
    @Test
    void aNonSerializableLocalHeldAcrossAStepFails() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        AssertionError e = assertThrows(AssertionError) {
            h.runScript('''
                def matcher = 'entra-idc-1.2.3' =~ /(\\d+)\\.(\\d+)/
                echo "found ${matcher[0][1]}"
            ''')
        }
        assertTrue(e.message.contains('java.io.NotSerializableException: java.util.regex.Matcher'), e.message)
        assertTrue(e.cause instanceof NotSerializableException)
    }

    @Test
    void theSameValueNotHeldAcrossTheStepIsFine() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        h.runScript('''
            String major = major('entra-idc-1.2.3')
            echo "found ${major}"

            @NonCPS
            String major(String text) {
                def matcher = text =~ /(\\d+)\\.(\\d+)/
                return matcher[0][1]
            }
        ''')
        assertTrue(h.log.lines.contains('found 1'), h.log.text)
    }

    @Test
    void loopsOverListsAndMapsSurviveTheSave() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        h.runScript('''
            for (String account : ['aws-commercial', 'aws-govcloud']) {
                echo "list ${account}"
            }
            Map<String, Integer> counts = [a: 1, b: 2]
            for (def entry : counts.entrySet()) {
                echo "map ${entry.key}=${entry.value}"
            }
        ''')
        assertEquals(['list aws-commercial', 'list aws-govcloud', 'map a=1', 'map b=2'], h.log.outputLines)
    }
}
