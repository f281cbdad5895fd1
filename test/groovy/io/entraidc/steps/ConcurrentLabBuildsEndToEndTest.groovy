package io.entraidc.steps

import groovy.json.JsonSlurper
import io.entraidc.harness.LockRegistry
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

import java.util.concurrent.TimeUnit

import static org.junit.jupiter.api.Assertions.*

/**
 * Reliability suite, case 5: two lab builds at once against the same accounts. Two jobs of one
 * controller (one LockRegistry: Lockable Resources queues the second request until the first is
 * released, LockRegistry's source) run the nightly rebuild of the lab Jenkinsfile on two agents,
 * with the state in the twin's S3 (STATE_BACKEND=s3, the steps' backend: use_lockfile=true, the
 * lock object `<key>.tflock`; developer.hashicorp.com/terraform/language/backend/s3, "State
 * Locking": opt-in with use_lockfile, DynamoDB locking deprecated). The second
 * build waits for the first one's whole rebuild; neither corrupts the state; both end clean.
 *
 * While the first build is inside `apply saml`, a third agent of another controller (its own
 * lock registry: the Jenkins lock is not shared) runs entraSamlSetup and Terraform itself against
 * the same state: the S3 lock file refuses both, and the state stays intact. All three agents
 * are this machine, so the lock's holder (`Who`, user@host) is this agent's own and state_lock.py
 * sees the first build's Terraform process; a lock taken on another host is test_state_lock_twin.py's.
 */
@Tag('e2e')
class ConcurrentLabBuildsEndToEndTest {
    static final String BUCKET = S3StateAcrossAgentsEndToEndTest.BUCKET
    static final String KEY = S3StateAcrossAgentsEndToEndTest.KEY
    static final String RESOURCE = io.entraidc.EntraRun.LOCK_RESOURCE
    static final String WAITING = "[Resource: ${RESOURCE}] is not free, waiting for execution ..."
    static final String ACQUIRED = "Lock acquired on [Resource: ${RESOURCE}]"
    static final String RELEASED = "Lock released on resource [Resource: ${RESOURCE}]"
    static final File JENKINSFILE = new File(LifecycleEndToEndTest.ROOT, 'Jenkinsfile')

    /** One controller's lockable resources, also keeping what was left at each release. */
    static class WatchedLocks extends RecordingLockRegistry {
        final Map<String, Map> atRelease = Collections.synchronizedMap([:])
        PipelineHarness other

        @Override
        protected void beforeRelease(PipelineHarness build) {
            atRelease[build.jobName] = [otherWaiting: other != null && !other.is(build) && other.log.lines.contains(WAITING),
                                        state: stateObjects(), inventory: Twin.liveInventory()]
        }
    }

    static PipelineHarness labBuild(String job, String agent, LockRegistry registry) {
        PipelineHarness h = new PipelineHarness(libraryRoot: LifecycleEndToEndTest.ROOT, agent: Twin.agent('service-principal', agent),
                jobName: job, lockRegistry: registry)
        h.params = S3StateAcrossAgentsEndToEndTest.params('rebuild')
        return h
    }

    /** The bucket's objects (key -> body parsed as JSON) and whether the state parses as Terraform state v4. */
    static Map stateObjects() {
        return (Map) new JsonSlurper().parseText(S3StateAcrossAgentsEndToEndTest.s3("""
import json
objects = {}
for o in s3.list_objects_v2(Bucket='${BUCKET}').get('Contents', []):
    body = s3.get_object(Bucket='${BUCKET}', Key=o['Key'])['Body'].read()
    try:
        objects[o['Key']] = json.loads(body)
    except ValueError:
        objects[o['Key']] = 'not JSON: %d bytes' % len(body)
print(json.dumps(objects))"""))
    }

    /** Waits (a boto3 poller) until `<key>.tflock` is held for an apply, while {@code build} runs; its lock info. */
    static Map applyLock(Thread build) {
        Map<String, String> env = new HashMap<>(System.getenv())
        env.putAll(Twin.environment())
        ProcessBuilder pb = new ProcessBuilder(new File(Twin.CACHE, 'venv/bin/python').path, '-c', """
import json, time, boto3
s3 = boto3.Session(profile_name='aws-commercial').client('s3')
seen = set()
while True:
    try:
        info = json.loads(s3.get_object(Bucket='${BUCKET}', Key='${KEY}.tflock')['Body'].read())
        if info.get('ID') not in seen:
            seen.add(info.get('ID'))
            print('lock seen at %s: %s %s' % (time.strftime('%H:%M:%S'), info.get('ID'), info.get('Operation')), flush=True)
        if info.get('Operation') == 'OperationTypeApply':
            print(json.dumps(info))
            break
    except s3.exceptions.NoSuchKey:
        pass
    time.sleep(0.2)
""")
        pb.environment().clear()
        pb.environment().putAll(env)
        Process poller = pb.redirectErrorStream(true).start()
        while (!poller.waitFor(1, TimeUnit.SECONDS)) {
            if (!build.alive) {
                poller.destroyForcibly()
                fail('the first build ended before it held the S3 state lock for an apply')
            }
        }
        String out = poller.inputStream.text
        assertEquals(0, poller.exitValue(), out)
        out.readLines().findAll { it.startsWith('lock seen at ') }.each { println "S3 state lock: ${it}" }
        return (Map) new JsonSlurper().parseText(out.trim().readLines().last())
    }

    /** The product's Terraform in an agent's prepared work copy (its S3 backend): exit status and log. */
    static Map terraform(PipelineHarness agent, String arguments) {
        PipelineHarness h = new PipelineHarness(libraryRoot: LifecycleEndToEndTest.ROOT, workspace: agent.workspace)
        h.baseEnvironment.putAll(agent.baseEnvironment)
        int status = (int) h.runScript("""
          node {
            dir('.entraidc') {
              return sh(returnStatus: true, script: 'ENTRAIDC_PYTHON="\$(cat .python-path)" "\$ENTRAIDC_TERRAFORM" -chdir=terraform ${arguments}')
            }
          }
        """)
        return [status: status, log: h.log.text, output: h.log.outputLines]
    }

    /** The build's log, kept under target/ to read after a run. */
    static void keepLog(PipelineHarness build) {
        File dir = new File(LifecycleEndToEndTest.ROOT, 'target/concurrent-lab-builds')
        dir.mkdirs()
        new File(dir, "ConcurrentLabBuilds-${build.agent.name}-${build.jobName}.log").text = build.log.text
    }

    static void assertCleanState(Map objects, String when) {
        assertEquals([KEY], objects.keySet().toList(), "${when}: the bucket holds only the state (no ${KEY}.tflock left)")
        Map state = (Map) objects[KEY]
        assertTrue(state instanceof Map && state.version == 4 && state.lineage, "${when}: not a Terraform state: ${state}")
        assertEquals([], state.resources, "${when}: the state still records resources")
    }

    static void assertCleanBuild(PipelineHarness build, Map baseline, Map inventory) {
        assertEquals('SUCCESS', build.currentBuild.currentResult, build.log.text)
        assertTrue(build.junitResults.every { it.failCount == 0 } && build.junitResults.sum { it.totalCount } > 0,
                "${build.jobName}: failed checks ${build.junitResults}")
        assertTrue(build.log.lines.any { it.startsWith('[entraTeardown › destroy › all] Destroy complete!') }, build.log.text)
        Map left = LabJobTeardownEndToEndTest.withoutDeletedUsers(inventory)
        assertEquals(baseline, left, "${build.jobName} left objects behind: ${RepeatedRebuildEndToEndTest.difference(baseline, left)}")
    }

    /**
     * Another controller (its own lock registry, so the Jenkins lock is not shared) on a third
     * agent, while the first build holds the S3 lock file for its apply saml: the product's
     * entraSamlSetup and the product's Terraform against the same state are both refused.
     */
    static void anotherControllerIsRefusedByTheS3LockFile(Thread firstRuns, PipelineHarness first) {
        Map held = applyLock(firstRuns)
        assertTrue(first.log.lines.contains('[entraSamlSetup › apply saml › all] started') &&
                !first.log.lines.any { it.startsWith('[entraSamlSetup › apply saml › all] finished in') },
                "the apply lock is the first build's apply saml:\n${first.log.text}")
        PipelineHarness third = labBuild('entra-idc-lab', 'agent-3', new LockRegistry())
        Throwable refused = assertThrows(Throwable) {
            third.runStep('entraSamlSetup', [stateBackend: 's3', stateBucket: BUCKET])
        }
        Map plan = terraform(third, 'plan -input=false -no-color -var enable_scim=false -var enable_abac=false')
        Map stillHeld = (Map) stateObjects()["${KEY}.tflock".toString()]
        keepLog(first)
        keepLog(third)
        assertEquals(held.ID, stillHeld?.ID, "the first build held its apply lock throughout the other controller's runs; " +
                "its phases: ${first.log.lines.findAll { it ==~ /\[entra\w+ › [^›]+ › all\] (started|finished in .*|FAILED.*)/ }}")

        String lockLine = "ERROR: the Terraform state is locked (s3://${BUCKET}/${KEY}.tflock: lock ${held.ID} (OperationTypeApply) taken by ${held.Who}"
        assertTrue(refused.message.startsWith('entraSamlSetup: prepare failed in aws-commercial'), refused.message)
        assertTrue(third.log.lines.any { it.startsWith("[entraSamlSetup › prepare › aws-commercial] ${lockLine}") }, third.log.text)
        assertTrue(third.log.lines.any { it.contains('Terraform processes using this state run on this agent now') }, third.log.text)
        assertTrue(third.log.lines.any { it.contains("force-unlock ${held.ID}") }, third.log.text)
        String next = third.log.lines.find { it.startsWith('[entraSamlSetup › prepare › aws-commercial] next: ') }
        assertTrue(next?.contains('another Terraform run holds the state lock'), "the next step names the lock, not the prerequisites: ${next}")
        assertFalse(third.log.lines.any { it ==~ /\[entraSamlSetup › (sweep|plan saml|apply saml) › .*/ }, third.log.text)
        assertEquals(1, plan.status, plan.log)
        assertTrue(plan.log.contains('Error acquiring the state lock'), plan.log)
        assertTrue(plan.log.contains("ID:        ${held.ID}".toString()), plan.log)
        println "checked: another controller's agent, while build 1 held ${KEY}.tflock for apply saml (lock ${held.ID}, ${held.Who}): " +
                'entraSamlSetup refused in prepare by state-lock (holder named, force-unlock only if none runs), and ' +
                "Terraform's own plan refused with 'Error acquiring the state lock'; the lock still build 1's afterwards"
    }

    @Test
    void twoLabBuildsAtOnceTakeTurnsAndTheS3LockFileRefusesAnotherController() {
        LifecycleEndToEndTest.twinRuns()
        Map baseline = LabJobTeardownEndToEndTest.withoutDeletedUsers(Twin.inventory())
        S3StateAcrossAgentsEndToEndTest.s3("s3.create_bucket(Bucket='${BUCKET}')")

        WatchedLocks registry = new WatchedLocks()
        PipelineHarness first = labBuild('entra-idc-lab', 'agent-1', registry)
        PipelineHarness second = labBuild('entra-idc-lab-manual', 'agent-2', registry)
        registry.other = second
        long started = System.currentTimeMillis()
        Throwable[] thrown = new Throwable[2]
        Thread a = Thread.start { try { first.runJenkinsfile(JENKINSFILE) } catch (Throwable t) { thrown[0] = t } }
        long deadline = System.currentTimeMillis() + 120_000
        while (!registry.isHeld(RESOURCE) && a.alive && System.currentTimeMillis() < deadline) {
            Thread.sleep(50)
        }
        assertTrue(registry.isHeld(RESOURCE), "the first build never took the lock:\n${first.log.text}")
        Thread b = Thread.start { try { second.runJenkinsfile(JENKINSFILE) } catch (Throwable t) { thrown[1] = t } }

        try {
            anotherControllerIsRefusedByTheS3LockFile(a, first)
        } finally {
            a.join()
            b.join()
            keepLog(first)
            keepLog(second)
        }
        long seconds = (System.currentTimeMillis() - started).intdiv(1000)
        [first, second].eachWithIndex { PipelineHarness build, int i ->
            assertNull(thrown[i], "${build.jobName}: ${thrown[i]}\n${build.log.text}")
        }

        assertEquals(['entra-idc-lab acquired', 'entra-idc-lab released', 'entra-idc-lab-manual acquired',
                      'entra-idc-lab-manual released'], registry.events)
        assertTrue(registry.atRelease['entra-idc-lab'].otherWaiting as boolean,
                "the second build logged its wait before the first released:\n${second.log.text}")
        List<String> one = first.log.lines
        assertTrue(one.findLastIndexOf { it.startsWith('[entraTeardown › ') } < one.indexOf(RELEASED), first.log.text)
        List<String> two = second.log.lines
        assertTrue(two.contains(WAITING) && two.indexOf(WAITING) < two.indexOf(ACQUIRED) &&
                two.indexOf(ACQUIRED) < two.findIndexOf { it.startsWith('[entraSamlSetup › ') }, second.log.text)
        println 'checked: build 2 (agent-2) logged its wait for the lock before build 1 (agent-1) released it; ' +
                'build 1 released it after its teardown ended; build 2 got it only then and started entraSamlSetup after'

        Map afterFirst = registry.atRelease['entra-idc-lab']
        assertCleanState((Map) afterFirst.state, 'after build 1')
        assertCleanBuild(first, baseline, (Map) afterFirst.inventory)
        assertCleanBuild(second, baseline, Twin.inventory())
        Map afterSecond = stateObjects()
        assertCleanState(afterSecond, 'after build 2')
        Map s1 = (Map) afterFirst.state[KEY]
        Map s2 = (Map) afterSecond[KEY]
        assertEquals(s1.lineage, s2.lineage, 'one state throughout: build 2 continued build 1\'s')
        assertTrue((s2.serial as int) > (s1.serial as int), "build 2 wrote the state after build 1 (serial ${s1.serial} -> ${s2.serial})")
        Map listed = terraform(second, 'state list')
        assertEquals(0, listed.status, listed.log)
        assertEquals([], listed.output.findAll { it.trim() && !it.startsWith('+ ') }, 'Terraform reads the state and finds no resource')
        Map recorded = (Map) new JsonSlurper().parse(new File(second.workspace, '.entraidc/terraform/.terraform/terraform.tfstate'))
        assertEquals('s3', recorded.backend.type)
        assertEquals(true, recorded.backend.config.use_lockfile, 'the S3 lock file locks the state')
        assertNull(recorded.backend.config.dynamodb_table, 'no DynamoDB lock table')
        println "checked: both builds SUCCESS (${first.junitResults.sum { it.totalCount }} and " +
                "${second.junitResults.sum { it.totalCount }} checks passed) in ${seconds} s together; the S3 state " +
                "(use_lockfile, no DynamoDB table) valid after each (version 4, lineage ${s1.lineage}, serial " +
                "${s1.serial} -> ${s2.serial}, no resources; Terraform's state list reads it, empty), no .tflock left; the twin's inventory the baseline after each"
    }
}
