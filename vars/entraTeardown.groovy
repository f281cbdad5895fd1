import io.entraidc.DestroyRecovery
import io.entraidc.EntraRun
import io.entraidc.LocalState
import io.entraidc.PhaseFailure

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
            String nothing = LocalState.nothingRecorded(this, run.options)
            boolean again = false
            run.phase('destroy', null) {
                if (nothing) {
                    run.log.line('destroy', null, "${nothing}: nothing to destroy. The sweep next removes what carries the " +
                            'ownership marker entra-idc (Entra apps and users, permission sets, secrets, the resource group and ' +
                            'Key Vault); untagged objects only that state knew of (Identity Center users, assignments) stay. ' +
                            'Keep state across builds and agents with stateBackend: \'s3\'.')
                } else {
                    int before = run.terraformLog().length()
                    try {
                        run.terraformChanging('destroy', "destroy -auto-approve -input=false ${variables}")
                    } catch (PhaseFailure failure) {
                        if (!DestroyRecovery.reprovisioningFailed(run.terraformLog().substring(before))) {
                            throw failure
                        }
                        again = true
                        run.log.line('destroy', null, DestroyRecovery.WHY)
                    }
                }
            }
            if (again) {
                run.phase('destroy', null) {
                    run.terraformChanging('destroy', "destroy -auto-approve -input=false ${variables}")
                }
            }
            run.phase('sweep', null) {
                // Entra objects left by a setup that failed before Terraform recorded them (or whose state is elsewhere).
                run.python('sweep', "teardown --all-marked ${accounts}")
                // Tagged AWS and Azure objects the (now empty) state does not hold: creates whose state write was lost.
                run.python('sweep', "sweep --terraform-dir ../terraform ${accounts}")
            }
        }
    }
}
