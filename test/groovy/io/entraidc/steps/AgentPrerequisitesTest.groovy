package io.entraidc.steps

import io.entraidc.harness.AbortException
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.*

/**
 * prepare checks the agent's tools before anything else runs on it (bash, python3 ≥ 3.11 or
 * ENTRAIDC_PYTHON, the Terraform CLI and its version, az) and names everything missing at
 * once. Agents are built from stand-ins: fake-tools (StepResultsTest) and tiny version stubs.
 */
class AgentPrerequisitesTest {
    static PipelineHarness harness(Map<String, String> fakes = [:]) {
        return StepResultsTest.harness(fakes)
    }

    /** An executable in a directory of its own that answers any call with {@code output}. */
    static File stub(PipelineHarness h, String name, String output) {
        File dir = Files.createTempDirectory(h.agent.root.toPath(), 'stub').toFile()
        File tool = new File(dir, name)
        tool.text = "#!/bin/sh\necho '${output}'\n"
        tool.setExecutable(true)
        return tool
    }

    static AbortException failOf(PipelineHarness h, Map args = [planOnly: true]) {
        AbortException e = assertThrows(AbortException) { h.runStep('entraTeardown', args) }
        assertEquals(1, h.stepCalls.count { it.step == 'sh' }, 'only the prerequisites probe may run')
        assertTrue(e.message.startsWith('entraTeardown: prepare failed in all: the agent lacks prerequisites: '), e.message)
        assertTrue(e.message.contains('Next: check the agent prerequisites in the README'), e.message)
        return e
    }

    @Test
    void everythingMissingIsNamedAtOnce() {
        PipelineHarness h = harness()
        h.baseEnvironment.ENTRAIDC_TERRAFORM = '/nonexistent/terraform'
        h.baseEnvironment.ENTRAIDC_PYTHON = stub(h, 'python', '3.9.18').path
        h.baseEnvironment.PATH = h.agent.environment.PATH  // no az on it
        AbortException e = failOf(h)
        assertTrue(e.message.contains("no Terraform CLI at '/nonexistent/terraform': install Terraform 1.5+ or OpenTofu 1.8+, or set ENTRAIDC_TERRAFORM"), e.message)
        assertTrue(e.message.contains("ENTRAIDC_PYTHON '${h.baseEnvironment.ENTRAIDC_PYTHON}' is Python 3.9.18; the automation needs 3.11 or later"), e.message)
        assertTrue(e.message.contains('the Azure CLI (az) is not on the PATH: install it and az login, or pass azureCredentialsId'), e.message)
        assertTrue(h.log.lines.any { it.startsWith('[entraTeardown › prepare › all] FAILED after ') }, h.log.text)
    }

    @Test
    void anAgentWithoutBashOrPython3IsTold() {
        PipelineHarness h = harness()
        h.baseEnvironment.remove('ENTRAIDC_PYTHON')
        File bin = Files.createTempDirectory(h.agent.root.toPath(), 'bin').toFile()
        ['sh', 'head', 'tail'].each { Files.createSymbolicLink(new File(bin, it).toPath(), new File("/usr/bin/${it}").toPath()) }
        h.baseEnvironment.PATH = bin.path
        h.credentials['azure-sp'] = AzureIdentityTest.SP
        AbortException e = failOf(h, [planOnly: true, azureCredentialsId: 'azure-sp'])
        assertTrue(e.message.contains('bash is not on the PATH'), e.message)
        assertTrue(e.message.contains('python3 is not on the PATH: install Python 3.11 or later'), e.message)
        assertFalse(e.message.contains('the Azure CLI (az) is not on the PATH'), 'with a bound service principal az is not needed')
    }

    @Test
    void anOldPython3WithoutEntraidcPythonIsRefused() {
        PipelineHarness h = harness()
        h.baseEnvironment.remove('ENTRAIDC_PYTHON')
        File python3 = stub(h, 'python3', '3.10.12')
        h.baseEnvironment.PATH = "${python3.parent}:${h.baseEnvironment.PATH}".toString()
        AbortException e = failOf(h)
        assertTrue(e.message.contains('python3 is Python 3.10.12; the automation needs 3.11 or later (or set ENTRAIDC_PYTHON)'), e.message)
    }

    @Test
    void terraformVersionsBelowTheSupportedOnesAreRefused() {
        AbortException old = failOf(harness(FAKE_TERRAFORM_VERSION: 'Terraform v1.4.6'))
        assertTrue(old.message.contains('is Terraform 1.4.6; the module needs Terraform 1.5 or later'), old.message)
        AbortException s3 = failOf(harness(FAKE_TERRAFORM_VERSION: 'OpenTofu v1.9.1'),
                [planOnly: true, stateBackend: 's3', stateBucket: 'lab-state'])
        assertTrue(s3.message.contains('is OpenTofu 1.9.1; the module needs OpenTofu 1.10 or later for the S3 state backend with lock files'), s3.message)
    }

    @Test
    void whatIsFoundIsLoggedAndTheStepGoesOn() {
        PipelineHarness h = harness()
        h.runStep('entraTeardown', [planOnly: true])
        assertTrue(h.log.lines.any { it ==~ /\[entraTeardown › prepare › all\] terraform: .*fake-tools\/terraform \(OpenTofu v1\.12\.6\)/ }, h.log.text)
        assertTrue(h.log.lines.any { it ==~ /\[entraTeardown › prepare › all\] python3: \S+ \(3\.\d+\.\d+\)/ }, h.log.text)
    }
}
