package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/** The harness's own tests: each emulated step against the behaviour of the real plugin. */
class PipelineHarnessTest {
    static final File ROOT = new File(System.getProperty('entraidc.root', '.')).canonicalFile
    static final File FIXTURE_LIB = new File(ROOT, 'test/fixtures/harness-lib')

    PipelineHarness harness() {
        return new PipelineHarness(libraryRoot: FIXTURE_LIB)
    }

    @Test
    void stepRunsToolchainTerraformThroughSh() {
        File tofu = new File(System.getProperty('user.home'), '.cache/entra-idc/bin/tofu')
        assertTrue(tofu.canExecute(), "no Terraform CLI at ${tofu}: run ./lab toolchain terraform")
        PipelineHarness h = harness()
        File cliConfig = new File(h.workspace, 'empty.tfrc')
        cliConfig.text = ''
        String version = h.runStep('tofuVersion', tofu.path, cliConfig.path)
        assertTrue(version ==~ /\d+\.\d+\.\d+/, "unexpected version ${version}")
        assertTrue(h.log.lines.contains("terraform reports ${version}".toString()), h.log.text)
        assertTrue(h.log.lines.contains('[Pipeline] sh (fixture shell)'), h.log.text)
    }

    @Test
    void closureHandedToNonCpsMethodFailsTheCpsCheck() {
        CpsMismatchError e = assertThrows(CpsMismatchError) { harness().runStep('sortNumbers', [3, 1, 2]) }
        assertTrue(e.message.contains('sort'), e.message)
    }

    @Test
    void nonCpsHelperIsCpsSafe() {
        assertEquals([1, 2, 3], harness().runStep('sortNumbersSafe', [3, 1, 2]))
    }

    @Test
    void boundSecretIsMaskedInShellAndGroovyOutput() {
        PipelineHarness h = harness()
        h.credentials['scim-token'] = [secret: 's3cr3t-T0KEN-value']
        h.runStep('printToken')
        assertFalse(h.log.text.contains('s3cr3t-T0KEN-value'), h.log.text)
        assertTrue(h.log.lines.contains('shell sees ****'), h.log.text)
        assertTrue(h.log.lines.contains('groovy sees ****'), h.log.text)
        assertTrue(h.log.lines.contains('after the block TOKEN is null'), h.log.text)
    }

    @Test
    void missingCredentialFailsWithJenkinsMessage() {
        AbortException e = assertThrows(AbortException) { harness().runStep('printToken') }
        assertEquals("Could not find credentials entry with ID 'scim-token'", e.message)
    }

    @Test
    void unknownStepFailsAndNamesTheStep() {
        NoSuchStepError e = assertThrows(NoSuchStepError) { harness().runStep('notifyChat') }
        assertTrue(e.message.startsWith("No such DSL method 'slackSend'"), e.message)
    }

    @Test
    void base64ResourceSurvivesTheCopyByteForByte() {
        PipelineHarness h = harness()
        assertTrue(h.runStep('copyResource', 'fixture/blob.bin', 'out/blob.bin') as boolean)
        assertArrayEquals(new File(FIXTURE_LIB, 'resources/fixture/blob.bin').bytes,
                new File(h.workspace, 'out/blob.bin').bytes)
        assertEquals(new File(h.workspace, 'nested').path, new File(h.workspace, 'nested/marker.txt').text)
    }

    @Test
    void shHonoursStatusStdoutFailureAndEnvironment() {
        PipelineHarness h = harness()
        Map result = h.runStep('shellStatus')
        assertEquals(3, result.status)
        assertEquals("hello from ${h.workspace.path}".toString(), result.out)
        assertEquals('script returned exit code 7', result.caught)
    }

    @Test
    void retryCatchErrorLockAndStage() {
        PipelineHarness h = harness()
        File counter = new File(h.workspace, 'counter')
        assertEquals('2', h.runStep('flaky', counter.path))
        assertEquals('UNSTABLE', h.currentBuild.currentResult)
        assertEquals(['entra-idc-tenant'], h.locks)
        assertEquals(['inside'], h.stages)
        assertTrue(h.log.lines.contains('Retrying'), h.log.text)
    }

    @Test
    void timeoutInterruptsALongShell() {
        PipelineHarness h = harness()
        String script = "node { timeout(time: 1, unit: 'SECONDS') { sh 'sleep 30' } }"
        long started = System.currentTimeMillis()
        FlowInterruptedException e = assertThrows(FlowInterruptedException) { h.runScript(script) }
        assertEquals('Timeout has been exceeded', e.message)
        assertTrue(System.currentTimeMillis() - started < 20000)
    }

    @Test
    void scriptSeesParamsEnvAndJunit() {
        PipelineHarness h = harness()
        h.params = [PARTITIONS: 'aws-govcloud']
        new File(h.workspace, 'reports').mkdirs()
        new File(h.workspace, 'reports/checks.xml').text =
                '<testsuite><testcase name="a"/><testcase name="b"><failure message="x"/></testcase></testsuite>'
        def summary = h.runScript('''
            node {
                env.STAGE_NAME = "verify"
                writeJSON(file: 'out.json', json: [partition: params.PARTITIONS, stage: env.STAGE_NAME])
                archiveArtifacts(artifacts: '*.json')
                return junit(testResults: 'reports/*.xml')
            }
        ''')
        assertTrue(summary instanceof TestResultSummary, 'junit answers a TestResultSummary, not a Map')
        assertEquals([2, 1, 0, 1], [summary.totalCount, summary.failCount, summary.skipCount, summary.passCount])
        assertEquals('UNSTABLE', h.currentBuild.currentResult)
        assertEquals(['out.json'], h.archived)
        assertEquals('{"partition":"aws-govcloud","stage":"verify"}', new File(h.workspace, 'out.json').text)
    }

    @Test
    void paramsAreReadOnly() {
        PipelineHarness h = harness()
        h.params = [ACTION: 'setup']
        assertThrows(UnsupportedOperationException) { h.runScript("params.ACTION = 'teardown'") }
    }
}
