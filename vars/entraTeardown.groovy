import io.entraidc.EntraRun

// Removes everything the other two steps created, in reverse order; safe to run twice and
// after a failed setup. See entraTeardown.txt.
def call(Map args = [:]) {
    EntraRun run = new EntraRun(this, 'entraTeardown', args)
    String partitions = run.options.partitions.join(',')
    return run.execute {
        run.prepare()
        run.phase('teardown', null) {
            run.python('teardown', "teardown --partitions ${partitions}")
        }
        run.phase('destroy', null) {
            run.terraform('destroy', "destroy -auto-approve -input=false ${run.terraformVariables(false, false)}")
        }
        run.archive()
    }
}
