package io.entraidc.steps

import io.entraidc.harness.AbortException
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * azureCredentialsId binds one whole service principal (the Azure Credentials plugin's
 * azureServicePrincipal binding) for both the Python automation (AZURE_*) and azurerm (ARM_*),
 * so nothing of the agent's own Azure login is mixed in. Fake tools (StepResultsTest) record
 * the environment Terraform runs with.
 */
class AzureIdentityTest {
    static final Map<String, String> SP = [clientId      : '0b7ee8c4-client', clientSecret: 'sp-secret-value',
                                           tenantId      : '7f3e5a1c-tenant', subscriptionId: '2c1d9e8f-subscription']

    /** A Terraform stand-in that writes its environment to {@code envFile}, then acts as fake-tools/terraform. */
    static PipelineHarness harnessRecordingTerraformEnv(File envFile) {
        PipelineHarness h = StepResultsTest.harness()
        File wrapper = new File(h.agent.root, 'terraform-recording-env')
        wrapper.text = "#!/usr/bin/env bash\nenv > '${envFile}'\nexec '${h.baseEnvironment.ENTRAIDC_TERRAFORM}' \"\$@\"\n"
        wrapper.setExecutable(true)
        h.baseEnvironment.ENTRAIDC_TERRAFORM = wrapper.path
        // The agent's own identity, which must not leak into a run with a bound principal.
        h.baseEnvironment.ARM_TENANT_ID = 'agent-own-tenant'
        h.baseEnvironment.AZURE_SUBSCRIPTION_ID = 'agent-own-subscription'
        return h
    }

    @Test
    void theBoundPrincipalIsTheOnlyAzureIdentityOfTheRun() {
        File envFile = File.createTempFile('terraform-env', '.txt')
        PipelineHarness h = harnessRecordingTerraformEnv(envFile)
        h.credentials['azure-sp'] = SP
        h.runStep('entraTeardown', [planOnly: true, azureCredentialsId: 'azure-sp'])
        Map<String, String> env = envFile.readLines().findAll { it.contains('=') }
                .collectEntries { [(it.substring(0, it.indexOf('='))): it.substring(it.indexOf('=') + 1)] }
        envFile.delete()
        assertEquals([AZURE_CLIENT_ID: SP.clientId, AZURE_CLIENT_SECRET: SP.clientSecret, AZURE_TENANT_ID: SP.tenantId,
                      AZURE_SUBSCRIPTION_ID: SP.subscriptionId, ARM_CLIENT_ID: SP.clientId,
                      ARM_CLIENT_SECRET: SP.clientSecret, ARM_TENANT_ID: SP.tenantId,
                      ARM_SUBSCRIPTION_ID: SP.subscriptionId],
                env.findAll { it.key.startsWith('AZURE_') || it.key.startsWith('ARM_') })
        SecretScan.assertNowhere([secret: SP.clientSecret], h.log.text, h.workspace)
    }

    @Test
    void aUsernamePasswordCredentialIsRefusedNamingTheTypeExpected() {
        PipelineHarness h = StepResultsTest.harness()
        h.credentials['azure-sp'] = [username: SP.clientId, password: SP.clientSecret]
        AbortException e = assertThrows(AbortException) {
            h.runStep('entraTeardown', [planOnly: true, azureCredentialsId: 'azure-sp'])
        }
        assertTrue(e.message.contains("where 'com.microsoft.azure.util.AzureCredentials' was expected"), e.message)
        assertEquals([], h.stepCalls.findAll { it.step == 'sh' })
    }
}
