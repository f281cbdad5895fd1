package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * Reliability suite, case 1: the nightly rebuild (the lab Jenkinsfile, ACTION=rebuild, both
 * partitions, ABAC) with faults in every service the lifecycle touches. Each rule is one the
 * service documents and its client is expected to ride out, with a small count, so the rebuild
 * must still succeed, every check pass and the teardown leave the twin's inventory as it was.
 * Every rule must have fired (a rule that never fired proves nothing); where our Python retries,
 * the build log must show the retry. The SDKs and providers retry silently: the AWS SDKs (boto3
 * in our Python, the Go SDK in the aws provider), azure-identity (azure-core's RetryPolicy) and the
 * azurerm provider log nothing we see, so for those the proof is that the rule fired and the build
 * still succeeded, and where the twin's request log can tell, the retry answered there: the AWS
 * SDKs' later attempt of the operation (`amz-sdk-request: attempt=N`), or for the token endpoint,
 * ARM and SCIM the same request line answered 2xx after the failed one. `sso-control` (SWBService)
 * has no rule: the lifecycle never calls it.
 */
@Tag('e2e')
class FaultsInEveryServiceEndToEndTest {
    /** service, operation, kind, count, extra options, who retries, the log line that shows it (null: silent). */
    static final List<Map> RULES = [
            // Entra's token service, overloaded, answers 429 with Retry-After ("Handle errors and exceptions
            // in MSAL for Python", learn.microsoft.com/entra/msal/python/advanced/msal-error-handling-python,
            // which leaves the retry to the application). The agent's Azure CLI login makes the first token
            // request (preflight's): az (MSAL) and AzureCliCredential try once, our TokenSource asks az again.
            [service: 'login', operation: 'token', kind: 'throttle', count: 1,
             client : 'our TokenSource (asks the Azure CLI again)', logged: /Azure CLI token for \S+: .*retrying in /,
             request: /POST \/[\w-]+\/oauth2\/v2\.0\/token/],
            // ARM: 429 with Retry-After (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling).
            [service: 'arm', operation: 'createResourceGroup', kind: 'throttle', count: 1,
             client : 'azurerm provider (go-azure-sdk)', logged: null,
             request: /PUT \/subscriptions\/[\w-]+\/resource[gG]roups\/[^\/ ?]+(\?\S*)?/],
            // Azure's transient 5xx are to be retried (learn.microsoft.com/azure/architecture/best-practices/retry-service-specific).
            // (The orphan sweep before each apply lists the resource groups.)
            [service: 'arm', operation: 'listResourceGroups', kind: '5xx', count: 1, options: [status: 503],
             client : 'our ArmClient (retry.py)', logged: /ARM GET \S*\/resourcegroups: 503, retrying in /],
            // Key Vault: 429 with Retry-After (learn.microsoft.com/azure/key-vault/general/overview-throttling).
            [service: 'keyvault', operation: 'setSecret', kind: 'throttle', count: 1,
             client : 'our KeyVaultClient (retry.py)', logged: /Key Vault PUT \/?secrets\/\S+: 429, retrying in /],
            // Azure RBAC propagation: a role assignment can take up to 10 minutes to be honoured by the Key
            // Vault data plane (learn.microsoft.com/azure/key-vault/general/rbac-guide); the twin answers 403
            // ForbiddenByRbac to the first secret written after the module's role assignment.
            [service: 'keyvault', operation: 'setSecret', kind: 'delay', count: 1, options: [seconds: 300],
             client : 'our KeyVaultClient (waits out the propagation)', logged: /Key Vault RBAC: .* not in effect yet; waiting up to /],
            // Graph: 429 with Retry-After (learn.microsoft.com/graph/throttling).
            [service: 'graph', operation: 'createUser', kind: 'throttle', count: 1,
             client : 'our GraphClient (retry.py)', logged: /POST \/users: 429, retrying in /],
            // Graph: 503 Service Unavailable, to be retried (learn.microsoft.com/graph/errors).
            [service: 'graph', operation: 'provisionOnDemand', kind: '5xx', count: 1, options: [status: 503],
             client : 'our GraphClient (retry.py)', logged: /POST \/servicePrincipals\/\S+\/provisionOnDemand: 503, retrying in /],
            // Entra replication delay: an application just instantiated from the gallery answers 404 for a
            // while (hashicorp/terraform-provider-azuread waits for it to replicate after creating one).
            [service: 'graph', operation: 'updateApplication', kind: 'delay', count: 2, options: [seconds: 30],
             client : 'our GraphClient (retry_not_found)', logged: /PATCH \/applications\/\S+: 404, retrying in /],
            // IAM Identity Center API: ThrottlingException (HTTP 400) and InternalServerException (500), the
            // "Errors" of each operation in the sso-admin and identitystore API references; the SDKs retry
            // both (docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
            [service: 'sso-admin', operation: 'CreatePermissionSet', kind: 'throttle', count: 2,
             client : 'aws provider (AWS SDK for Go v2)', logged: null, sdkAttempt: true],
            [service: 'sso-admin', operation: 'ListInstances', kind: '5xx', count: 1,
             client : 'boto3 (botocore, 3 attempts)', logged: null, sdkAttempt: true],
            [service: 'identitystore', operation: 'CreateUser', kind: 'throttle', count: 1,
             client : 'aws provider (AWS SDK for Go v2)', logged: null, sdkAttempt: true],
            [service: 'identitystore', operation: 'ListUsers', kind: '5xx', count: 1,
             client : 'boto3 (botocore, 3 attempts)', logged: null, sdkAttempt: true],
            // Console operations (AWSIdentityStoreService.*): the same AWS JSON errors as the public API.
            [service: 'sso-directory', operation: 'CreateExternalIdPConfigurationForDirectory', kind: 'throttle', count: 1,
             client : 'our ConsoleApi (retry.py)', logged: /CreateExternalIdPConfigurationForDirectory: 400, retrying in /],
            // ServiceUnavailable (503), one of the errors common to all actions (IdentityStoreAPIReference/CommonErrors.html).
            [service: 'sso-directory', operation: 'ListProvisioningTenants', kind: '5xx', count: 1, options: [status: 503],
             client : 'our ConsoleApi (retry.py)', logged: /ListProvisioningTenants: 503, retrying in /],
            // STS: Throttling (query protocol), retried by the SDKs (feature-retry-behavior.html above).
            [service: 'sts', operation: 'GetCallerIdentity', kind: 'throttle', count: 1,
             client : 'boto3 / aws provider', logged: null],
            // Secrets Manager throttles beyond its request-rate quotas (docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html).
            [service: 'secretsmanager', operation: 'PutSecretValue', kind: 'throttle', count: 1,
             client : 'boto3 (botocore, 3 attempts)', logged: null, sdkAttempt: true],
            // IAM Identity Center SCIM: 429 ThrottlingException (SCIM implementation developer guide, errors).
            // Entra escrows the user and retries it in a later cycle ("How Application Provisioning works in
            // Microsoft Entra ID", errors and retries); on demand, provision_on_demand runs it again.
            [service: 'scim', operation: 'PATCH /Users', kind: 'throttle', count: 1,
             client : 'Entra provisioning (the twin\'s engine: the user fails in the cycle, escrowed) and our on-demand provisioning',
             logged : null, request: /PATCH \/\S+\/scim\/v2\/Users\/\S+/],
    ]

    @Test
    void theNightlyRebuildRidesOutFaultsInEveryService() {
        LifecycleEndToEndTest.twinRuns()
        Map baseline = Twin.liveInventory()
        int twinLogMark = KilledStepEndToEndTest.TWIN_LOG.readLines().size()
        Map<String, Map> added = [:]
        PipelineHarness build = LifecycleEndToEndTest.harness()
        build.params = [ACTION: 'rebuild', PARTITIONS: 'both', PLAN_ONLY: false, ABAC: true]
        long seconds
        Map<String, Map> listed
        try {
            RULES.each { Map rule ->
                added[Twin.fault(rule.service, rule.operation, rule.kind, rule.count, (Map) rule.options ?: [:])] = rule
            }
            long started = System.currentTimeMillis()
            build.runJenkinsfile(new File(LifecycleEndToEndTest.ROOT, 'Jenkinsfile'))
            seconds = (System.currentTimeMillis() - started).intdiv(1000)
            listed = Twin.faults()
        } finally {
            Twin.clearFaults()
        }
        assertEquals('SUCCESS', build.currentBuild.currentResult, build.log.text)
        int checks = build.junitResults.sum { it.totalCount } as int
        assertTrue(build.junitResults.every { it.failCount == 0 } && checks > 0, "failed checks ${build.junitResults}")
        println "checked: the nightly rebuild with ${RULES.size()} fault rules SUCCESS in ${seconds} s, ${checks} checks passed"

        List<String> lines = build.log.outputLines
        List<String> twinLog = KilledStepEndToEndTest.TWIN_LOG.readLines().drop(twinLogMark)
        List<String> failures = []
        added.each { String id, Map rule ->
            Map state = listed[id]
            int fired = state ? state.fired as int : 0
            String what = "${rule.service} ${rule.operation} ${rule.kind}"
            if (fired == 0) {
                failures << "${what}: never fired".toString()
                return
            }
            String shown = 'retried silently by ' + rule.client
            String evidence = rule.sdkAttempt ? sdkRetry(twinLog, rule.operation as String)
                    : rule.request ? sameRequestAgain(twinLog, rule.request as String) : ''
            if (evidence == null) {
                failures << "${what}: fired ${fired}× but the twin's log shows no retry answered 2xx".toString()
                return
            }
            shown += evidence ? "; twin log: ${evidence}" : ''
            if (rule.logged) {
                String line = lines.find { it =~ rule.logged }
                if (line == null) {
                    failures << "${what}: fired ${fired}× but no log line matches ${rule.logged}".toString()
                    return
                }
                shown = "log: ${line}"
            }
            println "checked: ${what} fired ${fired} of ${rule.count}; ${shown}"
        }
        Map left = Twin.liveInventory()
        println "checked: after teardown the twin's inventory is " + (left == baseline ? 'the baseline' : 'NOT the baseline')
        assertEquals([], failures)
        assertEquals(baseline, left, "teardown left objects behind: ${RepeatedRebuildEndToEndTest.difference(baseline, left)}")
    }

    /** The AWS SDK's later attempt (amz-sdk-request attempt=N, N > 1) of an operation, answered 200. */
    static String sdkRetry(List<String> twinLog, String operation) {
        String line = twinLog.find { it =~ /" 200 - .* [\w.]+\.${operation} (ttl=\S+ )?attempt=([2-9]|\d\d);/ }
        return line?.substring(line.indexOf('"'))
    }

    /** The first request matching {@code request} that failed (4xx/5xx), and the same request line answered 2xx after it. */
    static String sameRequestAgain(List<String> twinLog, String request) {
        int failed = twinLog.findIndexOf { it =~ /"(${request}) HTTP\/1\.1" [45]\d\d / }
        if (failed < 0) {
            return null
        }
        String requestLine = (twinLog[failed] =~ /"([^"]+)" /)[0][1]
        String again = twinLog.drop(failed + 1).find { it.contains("\"${requestLine}\" 2") }
        return again == null ? null : "${twinLog[failed].substring(twinLog[failed].indexOf('"'))}, then ${again.substring(again.indexOf('"'))}"
    }
}
