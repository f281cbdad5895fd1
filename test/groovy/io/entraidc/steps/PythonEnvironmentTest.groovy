package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The steps' own Python set-up on an agent without ENTRAIDC_PYTHON (EntraRun.PYTHON_SETUP):
 * python3 -m venv and pip install of the pinned requirements, once per requirements hash, then
 * reused. pip never reaches an index here: PIP_NO_INDEX and PIP_FIND_LINKS (pip's documented
 * environment form of --no-index / --find-links) point it at the wheelhouse that
 * `./lab toolchain python` downloads (tools/toolchain-python.sh). Terraform is the stand-in.
 */
class PythonEnvironmentTest {
    static final File REQUIREMENTS = new File(StepResultsTest.ROOT, 'resources/entraidc/python/requirements.txt')

    /** As the steps key it: the first 16 hex digits of the requirements' SHA-256. */
    static String key() {
        return java.security.MessageDigest.getInstance('SHA-256').digest(REQUIREMENTS.bytes).encodeHex().toString().substring(0, 16)
    }

    static File wheelhouse() {
        String key = key()
        File dir = new File(Twin.CACHE, "wheelhouse-${key}")
        assertTrue(dir.directory, "no wheelhouse ${dir}: run ./lab toolchain python")
        return dir
    }

    @Test
    void theStepsCreateTheirVirtualEnvironmentOnceAndReuseIt() {
        PipelineHarness h = StepResultsTest.harness()
        h.baseEnvironment.remove('ENTRAIDC_PYTHON')
        h.baseEnvironment.PIP_NO_INDEX = '1'
        h.baseEnvironment.PIP_FIND_LINKS = wheelhouse().path
        h.runStep('entraTeardown', [planOnly: true])

        File venv = new File(h.baseEnvironment.ENTRAIDC_AGENT_CACHE, "venv-${key()}")
        assertTrue(h.log.lines.contains("[entraTeardown › prepare › all] creating the Python environment ${venv}".toString()), h.log.text)
        assertTrue(new File(venv, '.complete').file)
        assertEquals("${venv}/bin/python".toString(), new File(h.workspace, '.entraidc/.python-path').text)
        Process probe = new ProcessBuilder("${venv}/bin/python", '-c',
                'import boto3, botocore, azure.identity, requests, cryptography; print(boto3.__version__)').start()
        assertEquals('1.44.5', probe.inputStream.text.trim())
        assertEquals(0, probe.waitFor())

        PipelineHarness next = h.nextBuild()
        StepResultsTest.useFakeTools(next, [:])
        next.baseEnvironment.remove('ENTRAIDC_PYTHON')
        next.baseEnvironment.ENTRAIDC_AGENT_CACHE = h.baseEnvironment.ENTRAIDC_AGENT_CACHE
        next.runStep('entraTeardown', [planOnly: true])
        assertTrue(next.log.lines.contains("[entraTeardown › prepare › all] reusing the Python environment ${venv}".toString()), next.log.text)
    }
}
