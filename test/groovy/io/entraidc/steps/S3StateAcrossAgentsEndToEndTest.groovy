package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The lab job's manual path with STATE_BACKEND=s3: `setup`, later `scim`, later `teardown`, each
 * a separate build on a different agent (the harness's empty workspace), the state in an S3
 * bucket of aws-commercial with an S3 lock file (the twin's S3, twin/aws/s3.py). Real OpenTofu,
 * providers and Python against the twin; the twin's inventory is back to where it started.
 */
@Tag('e2e')
class S3StateAcrossAgentsEndToEndTest {
    static final String BUCKET = 'entra-idc-lab-state'
    static final String KEY = 'entra-idc/terraform.tfstate'

    /** Runs boto3 (the toolchain's venv) as aws-commercial against the twin; returns its output. */
    static String s3(String code) {
        Map<String, String> env = new HashMap<>(System.getenv())
        env.putAll(Twin.environment())
        ProcessBuilder builder = new ProcessBuilder(new File(Twin.CACHE, 'venv/bin/python').path, '-c',
                "import boto3\ns3 = boto3.Session(profile_name='aws-commercial').client('s3')\n" + code)
        builder.environment().clear()
        builder.environment().putAll(env)
        Process process = builder.redirectErrorStream(true).start()
        String out = process.inputStream.text
        assertEquals(0, process.waitFor(), out)
        return out.trim()
    }

    static Map params(String action) {
        return [ACTION: action, PARTITIONS: 'both', PLAN_ONLY: false, ABAC: true, STATE_BACKEND: 's3', STATE_BUCKET: BUCKET]
    }

    static PipelineHarness build(PipelineHarness h, String action) {
        return build(h, params(action))
    }

    /** Runs the lab Jenkinsfile with these job parameters; it must succeed. */
    static PipelineHarness build(PipelineHarness h, Map params) {
        h.params = params
        h.runJenkinsfile(new File(LifecycleEndToEndTest.ROOT, 'Jenkinsfile'))
        assertEquals('SUCCESS', h.currentBuild.currentResult, h.log.text)
        return h
    }

    @Test
    void setupScimAndTeardownAreSeparateBuildsOnDifferentAgents() {
        Twin.start()
        Twin.reset()
        Map before = Twin.liveInventory()
        s3("s3.create_bucket(Bucket='${BUCKET}')")

        PipelineHarness setup = build(LifecycleEndToEndTest.harness(), 'setup')
        assertFalse(new File(setup.workspace, ".entraidc/terraform/terraform.tfstate").exists(), 'the state is local')
        assertTrue(setup.currentBuild.description.contains('checks: '), setup.currentBuild.description)

        PipelineHarness scim = setup.nextBuild(agent: Twin.agent('service-principal', 'agent-2'))
        assertFalse(new File(scim.workspace, '.entraidc').exists(), 'another agent starts with an empty workspace')
        build(scim, 'scim')
        assertTrue(scim.currentBuild.description.startsWith('scim: aws-commercial, aws-govcloud, azure-id\nchecks: '),
                scim.currentBuild.description)

        PipelineHarness teardown = scim.nextBuild(agent: Twin.agent('service-principal', 'agent-3'))
        build(teardown, 'teardown')
        assertTrue(teardown.log.lines.any { it.startsWith('[entraTeardown › destroy › all] Destroy complete!') }, teardown.log.text)
        assertEquals(before, Twin.liveInventory(), 'a teardown from the S3 state left objects behind')
        assertEquals('False', s3("""
try:
    s3.head_object(Bucket='${BUCKET}', Key='${KEY}.tflock')
    print(True)
except s3.exceptions.ClientError:
    print(False)"""), 'the S3 lock file stayed behind')
        assertEquals('0', s3("import json\nprint(len(json.loads(s3.get_object(Bucket='${BUCKET}', Key='${KEY}')['Body'].read())['resources']))"))
    }
}
