package io.entraidc.bench

import io.entraidc.harness.PipelineHarness
import io.entraidc.steps.Twin

/**
 * One measured run for ./lab bench (tools/bench.sh), through the pipeline harness against the
 * running twin, as ./lab demo runs the Jenkinsfile (LabDemo) or as LifecycleEndToEndTest calls
 * the steps. It times nothing itself except each whole step or build: tools/bench_watch.py
 * timestamps every line it prints, and tools/bench_report.py reads the phases from the
 * "[step › phase › account] finished in N s" lines. Prints "BENCH <what> <seconds>" lines.
 *
 *   rebuild PARTITIONS    the Jenkinsfile's nightly rebuild (PARTITIONS: both, aws-commercial, aws-govcloud)
 *   saml-rerun N          entraSamlSetup, then N unchanged re-runs, then entraScimEnable(abac) and entraTeardown
 */
class BenchRun {
    static void main(String[] args) {
        String mode = args ? args[0] : ''
        Twin.reset()
        Map before = Twin.liveInventory()
        PipelineHarness h = new PipelineHarness(libraryRoot: Twin.ROOT, echo: true, jobName: 'entra-idc-lab')
        h.baseEnvironment.putAll(Twin.agentEnvironment())
        // A plugin cache of the bench's own (tools/bench.sh): Terraform's is not safe for concurrent inits, and
        // other runs on a shared machine use the toolchain's.
        h.baseEnvironment.ENTRAIDC_AGENT_CACHE = System.getenv('ENTRAIDC_BENCH_AGENT_CACHE') ?: Twin.AGENT_CACHE.path
        boolean ok
        try {
            if (mode == 'rebuild' && args.length == 2) {
                ok = rebuild(h, args[1])
            } else if (mode == 'saml-rerun' && args.length == 2) {
                ok = samlReruns(h, args[1] as int)
            } else {
                System.err.println('usage: BenchRun rebuild both|aws-commercial|aws-govcloud | saml-rerun N')
                System.exit(2)
                return
            }
        } catch (Throwable e) {
            println "BENCH failed ${e.message}"
            ok = false
        }
        boolean clean = before == Twin.liveInventory()
        println "BENCH clean ${clean}"
        System.exit(ok && clean ? 0 : 1)
    }

    static boolean rebuild(PipelineHarness h, String partitions) {
        h.params = [ACTION: 'rebuild', PARTITIONS: partitions, PLAN_ONLY: false, ABAC: true]
        timed('build') { h.runJenkinsfile(new File(Twin.ROOT, 'Jenkinsfile')) }
        println "BENCH result ${h.currentBuild.currentResult}"
        return h.currentBuild.currentResult == 'SUCCESS'
    }

    static boolean samlReruns(PipelineHarness h, int reruns) {
        int failed = 0
        failed += checksFailed(timed('entraSamlSetup-first') { h.runStep('entraSamlSetup') })
        for (int i = 1; i <= reruns; i++) {
            failed += checksFailed(timed("entraSamlSetup-rerun-${i}") { h.runStep('entraSamlSetup') })
        }
        failed += checksFailed(timed('entraScimEnable') { h.runStep('entraScimEnable', [abac: true]) })
        timed('entraTeardown') { h.runStep('entraTeardown') }
        println "BENCH result ${failed == 0 ? 'SUCCESS' : 'FAILED CHECKS ' + failed}"
        return failed == 0
    }

    private static int checksFailed(Object result) {
        return ((Map) result)?.checks?.failed as Integer ?: 0
    }

    private static Object timed(String what, Closure body) {
        println "BENCH start ${what}"
        long start = System.nanoTime()
        try {
            return body()
        } finally {
            println String.format(Locale.ROOT, 'BENCH seconds %s %.3f', what, (System.nanoTime() - start) / 1e9d)
        }
    }
}
