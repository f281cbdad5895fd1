import io.entraidc.EntraRun

// Removes everything the other two steps created, in reverse order; safe to run twice and
// after a failed setup. See entraTeardown.txt.
def call(Map args = [:]) {
    EntraRun run = EntraRun.start(this, 'entraTeardown', args)
    String accounts = run.accountArguments()
    String variables = run.terraformVariables(false, false)
    return run.execute {
        run.prepare()
        if (run.options.planOnly) {
            run.phase('plan destroy', null) {
                run.terraform('plan destroy', "plan -destroy -input=false -out=../plan.bin ${variables}")
                run.terraform('plan destroy', 'show -no-color ../plan.bin > plan-summary.txt')
            }
        } else {
            run.phase('teardown', null) {
                run.python('teardown', "teardown ${accounts}")
            }
            run.phase('destroy', null) {
                run.terraform('destroy', "destroy -auto-approve -input=false ${variables}")
            }
            run.phase('sweep', null) {
                // Entra objects left by a setup that failed before Terraform recorded them.
                run.python('sweep', "teardown --all-marked ${accounts}")
            }
        }
    }
}
