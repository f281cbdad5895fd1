package io.entraidc.steps

import io.entraidc.harness.AgentCrash
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestMethodOrder

import static org.junit.jupiter.api.Assertions.*

/**
 * Reliability suite, case 2: the agent crashes (every process of the step gets SIGKILL at once,
 * PipelineHarness.crashWhen) inside a phase; the next build of the same job finds the workspace
 * as the crash left it, runs the same step again, and it converges (its checks pass). Two chains
 * of builds on one job and one twin, each ending with a teardown that leaves the twin's
 * inventory as it was before (deleted Entra users aside: LabJobTeardownEndToEndTest.withoutDeletedUsers).
 */
@Tag('e2e')
@TestMethodOrder(MethodOrderer.OrderAnnotation)
class KilledStepEndToEndTest {
    static final File TWIN_LOG = new File(System.getenv('ENTRAIDC_TWIN_DIR') ?: new File(Twin.CACHE, 'twin').path, 'twin.log')
    static final Map SCIM = [abac: true]
    static Map baseline
    /** The job's latest build: the next one runs in its workspace. */
    static PipelineHarness latest

    @BeforeAll
    static void twinRuns() {
        LifecycleEndToEndTest.twinRuns()
        baseline = LabJobTeardownEndToEndTest.withoutDeletedUsers(Twin.inventory())
    }

    static PipelineHarness nextBuild() {
        latest = latest == null ? LifecycleEndToEndTest.harness() : latest.nextBuild()
        return latest
    }

    /** A request line of the twin's log (twin/README.md, "Transport"). */
    static String twinRequest(String method, String pathRegex) { return "${method} /[^ ]*${pathRegex}" }

    static String labelled(String step, String phase) { return "[${step} › ${phase} › " }

    /** Runs {@code step} in a build whose agent crashes as {@code plan} says, then in the next build; answers the second's result. */
    static Map crashedThenRerun(String step, Map args, String phase, Map plan, Closure afterCrash = {}) {
        PipelineHarness crashed = nextBuild()
        crashed.crashWhen(plan)
        long started = System.currentTimeMillis()
        assertThrows(AgentCrash, { crashed.runStep(step, args) }, "${step} ran to its end: the crash never came\n${crashed.log.text}")
        String last = crashed.log.outputLines.findAll { it.startsWith('[entra') }.last()
        assertTrue(last.startsWith(labelled(step, phase)), "the crash came outside ${phase}: last line ${last}")
        println "checked: ${step} killed (SIGKILL, whole process group) inside ${phase} after " +
                "${(System.currentTimeMillis() - started).intdiv(1000)} s, on: ${crashed.crash.firedOn}"
        afterCrash()
        PipelineHarness rerun = nextBuild()
        started = System.currentTimeMillis()
        Map result = (Map) rerun.runStep(step, args)
        println "checked: the next build's ${step} ran to its end in ${(System.currentTimeMillis() - started).intdiv(1000)} s"
        return result
    }

    static void checksPass(String step, Map result) {
        assertEquals(0, result.checks.failed, latest.log.text)
        assertTrue(result.checks.total > 0)
        println "checked: ${step}'s verification after the re-run: ${result.checks.total} checks, none failed"
    }

    static void teardownLeavesTheBaseline() {
        assertEquals(baseline, LabJobTeardownEndToEndTest.withoutDeletedUsers(Twin.inventory()),
                'the teardown after a crash left objects behind')
        println 'checked: the twin\'s inventory is what it was before the first build'
    }

    static File lockInfo() { return new File(latest.workspace, '.entraidc/terraform/.terraform.tfstate.lock.info') }

    /** The stale lock info a killed apply left is explained (and removed) by the next build's prepare. */
    static void staleLockExplained(String step) {
        assertTrue(latest.log.outputLines.any {
            it.startsWith("[${step} › prepare › all] removed the stale .terraform.tfstate.lock.info of a Terraform run that ended without unlocking")
        }, latest.log.text)
        assertFalse(lockInfo().exists())
        println 'checked: the stale local lock info the kill left was explained in the log and removed'
    }

    @Test
    @Order(1)
    void killedWhileApplyingSamlAsTheKeyVaultIsCreated() {
        // The twin's request log: the vault's PUT arrived; the provider is still waiting on it.
        Map result = crashedThenRerun('entraSamlSetup', [:], 'apply saml',
                [file: TWIN_LOG, line: twinRequest('PUT', '/providers/Microsoft\\.KeyVault/vaults/[^/?]+\\?'), label: 'apply saml', afterMillis: 3000L],
                { assertTrue(lockInfo().file, 'a killed apply leaves the lock info of the local backend') })
        staleLockExplained('entraSamlSetup')
        checksPass('entraSamlSetup', result)
    }

    @Test
    @Order(2)
    void killedInScimEnableAfterAutomaticProvisioningWasEnabled() {
        Map result = crashedThenRerun('entraScimEnable', SCIM, 'scim-enable',
                [line: /^\[entraScimEnable › scim-enable › aws-commercial\] automatic provisioning enabled: /, label: 'scim-enable'])
        checksPass('entraScimEnable', result)
    }

    @Test
    @Order(3)
    void killedInTeardownAfterTheProvisioningJobWasDeleted() {
        crashedThenRerun('entraTeardown', [:], 'teardown',
                [line: /^\[entraTeardown › teardown › azure-id\] provisioning job of .* stopped and deleted/, label: 'teardown'])
        teardownLeavesTheBaseline()
    }

    @Test
    @Order(4)
    void killedInSamlFederateBeforeTheIdentitySourceSwitch() {
        // saml-federate (a provisioner inside apply) prints the SAML settings, then switches the identity source.
        Map result = crashedThenRerun('entraSamlSetup', [:], 'apply saml',
                [line: /^\[entraSamlSetup › apply saml › azure-id\] .*SAML settings of /, label: 'apply saml', afterMillis: 300L])
        checksPass('entraSamlSetup', result)
    }

    @Test
    @Order(5)
    void killedInTheSecondScimApply() {
        Map result = crashedThenRerun('entraScimEnable', SCIM, 'apply account access',
                [line: /^\[entraScimEnable › apply account access › [\w-]+\] .*: Creating\.\.\./, label: 'apply account access', afterMillis: 500L])
        checksPass('entraScimEnable', result)
    }

    @Test
    @Order(6)
    void killedInDestroyAsTheKeyVaultIsDeleted() {
        crashedThenRerun('entraTeardown', [:], 'destroy',
                [file: TWIN_LOG, line: twinRequest('DELETE', '/providers/Microsoft\\.KeyVault/vaults/[^/?]+\\?'), label: 'destroy', afterMillis: 500L])
        teardownLeavesTheBaseline()
    }
}
