import io.entraidc.EntraRun

// Tutorial step 4 (and 5 with abac: true): automatic provisioning, the Entra provisioning
// job, RichRoe provisioned on demand and given AdministratorAccess. See entraScimEnable.txt.
def call(Map args = [:]) {
    EntraRun run = EntraRun.start(this, 'entraScimEnable', args)
    boolean abac = run.options.abac
    String accounts = run.accountArguments()
    return run.execute {
        run.prepare()
        // Before the sweep and the applies: a login that cannot do this phase (an Azure CLI user
        // login has no Synchronization.* scope) stops here, having changed nothing.
        run.phase('preflight', null) {
            run.python('preflight', "preflight --phase scim ${accounts}")
        }
        run.planAndApply('scim', true, abac)
        if (!run.options.planOnly) {
            run.phase('scim-enable', null) {
                run.python('scim-enable', "scim-enable ${accounts}")
            }
            run.planAndApply('account access', true, abac)
            if (abac) {
                run.phase('abac', null) {
                    run.python('abac', "abac ${accounts}")
                }
            }
            run.verify('scim', abac)
            run.collectOutputs()
        }
    }
}
