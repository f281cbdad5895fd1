import io.entraidc.EntraRun

// Tutorial steps 1-3: Entra gallery apps, NikkiWolf, RegionalAdmin, SAML both ways,
// identity source switched to Entra. See entraSamlSetup.txt.
def call(Map args = [:]) {
    EntraRun run = EntraRun.start(this, 'entraSamlSetup', args)
    return run.execute {
        run.prepare()
        if (run.options.driftCheck) {
            run.driftCheck()
            run.archive()
            return
        }
        run.phase('preflight', null) {
            run.python('preflight', "preflight ${run.accountArguments()}")
        }
        run.planAndApply('saml', false, false)
        if (!run.options.planOnly) {
            run.verify('saml', false)
            run.collectOutputs()
        }
    }
}
