package io.entraidc

/**
 * The Terraform backend of the work copy, which outlives its build: a workspace may run a local
 * build after an S3 one and the other way round. The S3 backend block is written only when asked
 * for, and removed otherwise. When the backend `terraform init` recorded last
 * (terraform/.terraform/terraform.tfstate) differs from this run's, init runs with -reconfigure,
 * which switches without moving any state (with -input=false Terraform would otherwise stop with
 * "Backend configuration changed"); back to the local default, the record itself is removed
 * instead: OpenTofu's -reconfigure drops it in memory only (internal/command/meta_backend.go,
 * Meta.backendFromConfig: "if m.reconfigure { s.Backend = nil }", then no backend block, nothing
 * written), and the next plan stopped with "Backend initialization required ... Unsetting the
 * previously set backend" (StateBackendSwitchEndToEndTest). A switch from local to S3 while the local state still records
 * resources is refused: they would be left behind, untracked, and the migration Terraform offers
 * needs a person to confirm it.
 */
class StateBackend implements Serializable {
    static final String BLOCK_FILE = 'terraform/entraidc_backend.tf'
    static final String RECORD_FILE = 'terraform/.terraform/terraform.tfstate'

    /** Writes or removes the backend block; returns '-reconfigure ' when init must switch backends, else ''. */
    static String prepare(def steps, StageLog log, ToolRunner tools, Map options) {
        String workDir = options.workDir
        if (options.stateBackend == 's3') {
            int resources = LocalState.resourcesIn(steps, (String) workDir)
            if (resources > 0) {
                throw new PhaseFailure('prepare', StageLog.ALL_ACCOUNTS,
                        "the local Terraform state at ${workDir}/${LocalState.FILE} records ${resources} resources, and stateBackend 's3' " +
                                'would leave them behind, untracked', false, migrationAdvice(options))
            }
            // The packaged module keeps the local default; the work copy gets the S3 backend.
            steps.writeFile(file: "${workDir}/${BLOCK_FILE}", text: 'terraform {\n  backend "s3" {}\n}\n')
        } else if (steps.fileExists("${workDir}/${BLOCK_FILE}")) {
            log.line('prepare', null, "removing the S3 backend block an earlier build left in ${workDir}/${BLOCK_FILE}")
            tools.run('prepare', null, "rm -f ${BLOCK_FILE}")
        }
        String recorded = recordedBackend(steps, (String) workDir)
        String wanted = wantedBackend(options)
        if (recorded == null || recorded == wanted) {
            return ''
        }
        if (wanted == 'local') {
            // init -reconfigure drops the recorded backend in memory only: with no backend block it
            // writes nothing, and the next plan stops with "Backend initialization required".
            log.line('prepare', null, "the work directory was initialised for the ${recorded} backend, this run uses local: " +
                    "removing that record (${RECORD_FILE}; the state it points to stays where it is) and initialising afresh")
            tools.run('prepare', null, "rm -f ${RECORD_FILE}")
            return ''
        }
        log.line('prepare', null, "the work directory was initialised for the ${recorded} backend, this run uses ${wanted}: " +
                're-initialising (-reconfigure; no state is moved)')
        return '-reconfigure '
    }

    /** The -backend-config arguments of terraform init ('' for the local backend). */
    static String initArguments(Map options) {
        if (options.stateBackend != 's3') {
            return ''
        }
        return "-backend-config=bucket=${options.stateBucket} -backend-config=key=${options.stateKey} " +
                '-backend-config=profile=aws-commercial -backend-config=region=us-east-1 -backend-config=use_lockfile=true'
    }

    /** "local" or "s3 bucket/key", as this run wants it. */
    static String wantedBackend(Map options) {
        return options.stateBackend == 's3' ? "s3 ${options.stateBucket}/${options.stateKey}".toString() : 'local'
    }

    /**
     * What the last init recorded, in wantedBackend's form: null before any init; Terraform records
     * nothing for the local default.
     */
    private static String recordedBackend(def steps, String workDir) {
        String path = "${workDir}/${RECORD_FILE}"
        if (!steps.fileExists(path)) {
            return steps.fileExists("${workDir}/terraform/.terraform") ? 'local' : null
        }
        Map backend = (Map) ((Map) steps.readJSON(file: path, returnPojo: true)).backend
        if (backend == null || backend.type == null || backend.type == 'local') {
            return 'local'
        }
        Map config = (Map) backend.config ?: [:]
        return backend.type == 's3' ? "s3 ${config.bucket}/${config.key}".toString() : (String) backend.type
    }

    private static String migrationAdvice(Map options) {
        return "nothing was changed. Either tear the lab down with stateBackend 'local' first, or move the state to S3 by hand " +
                "in ${options.workDir}/terraform: write terraform { backend \"s3\" {} } into ${BLOCK_FILE - 'terraform/'} there, run " +
                "terraform init -migrate-state ${initArguments(options)} and answer yes, then run the step again"
    }
}
