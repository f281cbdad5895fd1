package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/** crashWhen: the step's whole process tree dies at once and the build's program never resumes. */
class AgentCrashTest {
    static final File FIXTURE_LIB = new File(new File(System.getProperty('entraidc.root', '.')).canonicalFile,
            'test/fixtures/harness-lib')

    static final String PIPELINE = '''
        node {
            lock(resource: 'tenant') {
                try {
                    sh(label: 'long', script: 'sleep 300 & echo $! > child.pid; printf "PUT /%s/kv\\\\n" "$SIGNAL" >> "$WATCHED"; echo child started; wait')
                } finally {
                    echo 'finally ran'
                }
            }
        }
        '''

    static boolean running(long pid) {
        File stat = new File("/proc/${pid}/stat")
        // A zombie (state Z) is dead; only its parent has not collected it yet.
        return stat.exists() && !(stat.text.replaceFirst(/^.*\) /, '').startsWith('Z'))
    }

    PipelineHarness crashed(Map plan) {
        PipelineHarness h = new PipelineHarness(libraryRoot: FIXTURE_LIB)
        File watched = new File(h.workspace, 'service.log')
        watched.text = 'an earlier request PUT /vaults/kv\n'
        h.baseEnvironment.WATCHED = watched.path
        // Not in the script's text: sh -x echoes each command, which would match an output pattern.
        h.baseEnvironment.SIGNAL = 'vaults'
        h.crashWhen(plan.collectEntries { k, v -> [(k): v == 'WATCHED' ? watched : v] })
        AgentCrash e = assertThrows(AgentCrash) { h.runScript(PIPELINE) }
        assertTrue(e.message.contains(plan.file ? 'PUT /vaults/kv' : 'child started'), e.message)
        long child = new File(h.workspace, 'child.pid').text.trim() as long
        assertFalse(running(child), "the step's child process ${child} survived the crash")
        assertFalse(h.log.lines.contains('finally ran'), 'the program resumed after the crash:\n' + h.log.text)
        assertFalse(h.lockRegistry.isHeld('tenant'), 'the crashed build still holds its lock')
        assertEquals('FAILURE', h.currentBuild.currentResult)
        return h
    }

    @Test
    void aLineOfTheStepsOutputCrashesTheAgentAndTheNextBuildFindsTheWorkspace() {
        PipelineHarness h = crashed(line: '^child started')
        println 'checked: the step\'s child process died with it, no finally ran, the lock was freed'
        PipelineHarness next = h.nextBuild()
        assertEquals(h.workspace, next.workspace)
        assertTrue(new File(next.workspace, 'child.pid').file, 'the next build finds the workspace as the crash left it')
        assertEquals('done', next.runScript("node { lock(resource: 'tenant') { return 'done' } }"))
    }

    @Test
    void aNewLineInAWatchedFileCrashesTheAgentOnlyDuringAMatchingStep() {
        PipelineHarness h = crashed(line: 'PUT /vaults/', file: 'WATCHED', label: '^long$')
        assertTrue(h.log.lines.any { it.startsWith('harness: agent crash') && it.endsWith('on: PUT /vaults/kv') }, h.log.text)
        CrashPlan other = new PipelineHarness(libraryRoot: FIXTURE_LIB).crashWhen(line: 'x', label: '^long$')
        assertFalse(other.appliesTo('short'))
        assertTrue(other.appliesTo('long'))
        println 'checked: a line already in the file before the step does not count; a matching new one kills the step'
    }
}
